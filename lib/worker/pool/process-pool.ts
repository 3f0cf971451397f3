import { Logger } from '@nestjs/common';
import { ResolvedPoolOptions } from '../../options/pool-options';
import { TaskRequest } from '../../protocol';
import { RegisteredTask } from '../../registry/registered-task';
import { RunControl } from '../run-control';
import { TaskRunner } from '../task-runner';
import { TaskOutcome, abandonedOutcome } from '../task-executor.service';
import { armTimeLimits, timeLimitsFor } from '../time-limits';
import { WorkerLostError } from './errors';
import { FromChild, errorToData, outcomeFromData } from './ipc-messages';
import { PoolChild } from './pool-child';

/** One run given to the pool, from `run()` to its outcome. */
interface PoolJob {
  seq: number;
  request: TaskRequest;
  queue: string | null;
  control: RunControl;
  /** Seconds; null when the run has no hard limit. */
  hardLimit: number | null;
  child: PoolChild<PoolJob> | null;
  settled: boolean;
  resolve: (outcome: TaskOutcome) => void;
  disarm: () => void;
}

/** A child that failed to boot is tried again after this long, not in a tight loop. */
const RESPAWN_DELAY_MS = 1_000;

/**
 * Runs task functions in child processes, each one the worker's own Nest module (see
 * docs/isolation.md). The worker keeps everything else: fetching, leases, acks,
 * results, events. Runs wait here for a free child (a child takes `childConcurrency`
 * at once). A run past its hard limit is failed at once (TimeLimitExceeded), its
 * signal aborted in the child, and the child killed if the run has not ended after
 * `killGraceMs`; a child that dies fails its runs with WorkerLostError. Children are
 * replaced as they die or are recycled (maxTasksPerChild, maxMemoryPerChild).
 */
export class ProcessPool implements TaskRunner {
  private readonly children = new Set<PoolChild<PoolJob>>();
  private readonly waiting: PoolJob[] = [];
  private target: number;
  private seq = 0;
  private stopping = false;
  private respawnTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly options: ResolvedPoolOptions,
    private readonly entry: string,
    private readonly logger: Logger = new Logger('ProcessPool'),
  ) {
    this.target = options.processes;
  }

  /** Children wanted. */
  get size(): number {
    return this.target;
  }

  /** The pids of the children that take tasks. */
  get pids(): number[] {
    return [...this.children]
      .filter((child) => !child.retiring && child.pid !== undefined)
      .map((child) => child.pid!);
  }

  /** Forks the children and waits until each one has booted the app. */
  async start(): Promise<void> {
    const started = this.replenish();
    try {
      await Promise.all(started.map((child) => child.ready));
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.logger.log(
      `Pool of ${this.target} process(es) ready (pids ${this.pids.join(', ')})`,
    );
  }

  run(
    task: RegisteredTask,
    request: TaskRequest,
    where: { queue: string | null; control: RunControl },
  ): Promise<TaskOutcome> {
    return new Promise((resolve) => {
      const job: PoolJob = {
        seq: ++this.seq,
        request,
        queue: where.queue,
        control: where.control,
        hardLimit: timeLimitsFor(task.policy, request).hard,
        child: null,
        settled: false,
        resolve,
        disarm: noop,
      };
      where.control.whenAbandoned((reason) => this.abandon(job, reason));
      if (job.settled) return;
      this.waiting.push(job);
      this.dispatch();
    });
  }

  /** Grows or shrinks the pool to `processes` children (pool_grow / pool_shrink). */
  resize(processes: number): void {
    if (!Number.isInteger(processes) || processes < 1) {
      throw new RangeError(
        `a pool has at least 1 process, got ${String(processes)}`,
      );
    }
    this.target = processes;
    const extra = this.taking().length - processes;
    if (extra > 0) {
      const byLoad = this.taking().sort(
        (a, b) => a.running.size - b.running.size,
      );
      for (const child of byLoad.slice(0, extra)) this.retire(child);
    }
    this.replenish();
    this.logger.log(`Pool resized to ${processes} process(es)`);
  }

  /**
   * Ends the children: idle ones close their app, busy ones are killed. Their runs are
   * left unsettled, so the worker leaves their messages to be delivered again.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.respawnTimer) clearTimeout(this.respawnTimer);
    this.waiting.splice(0);
    const children = [...this.children];
    for (const child of children) {
      if (child.running.size === 0 && child.isReady) child.close();
      else child.kill();
    }
    await Promise.all(children.map((child) => child.whenExited()));
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const child = this.freeChild();
      if (!child) return;
      const job = this.waiting.shift()!;
      if (job.settled) continue;
      job.child = child;
      child.running.set(job.seq, job);
      job.disarm = armTimeLimits(job.control, {
        hard: job.hardLimit,
        soft: null,
      });
      child.send({
        t: 'run',
        seq: job.seq,
        queue: job.queue,
        message: job.request.message,
        rss: this.options.maxMemoryPerChild !== null || undefined,
      });
    }
  }

  /** The least busy child that takes a task, if any has room. */
  private freeChild(): PoolChild<PoolJob> | undefined {
    let best: PoolChild<PoolJob> | undefined;
    for (const child of this.children) {
      if (!child.isReady || child.retiring) continue;
      if (child.running.size >= this.options.childConcurrency) continue;
      if (!best || child.running.size < best.running.size) best = child;
    }
    return best;
  }

  private settle(job: PoolJob, outcome: TaskOutcome): void {
    if (job.settled) return;
    job.settled = true;
    job.disarm();
    job.resolve(outcome);
  }

  /** The hard limit or a terminate: the run ends now; its child gets a grace period. */
  private abandon(job: PoolJob, reason: Error): void {
    this.settle(job, abandonedOutcome(reason));
    const { child } = job;
    if (!child) return; // still waiting: dispatch skips it
    child.send({ t: 'abort', seq: job.seq, reason: errorToData(reason) });
    setTimeout(() => {
      if (child.running.get(job.seq) !== job || !child.alive) return;
      this.logger.warn(
        `Killing pool child ${child.pid} (SIGKILL): task ${job.request.name}[${job.request.id}] ` +
          `did not stop within ${this.options.killGraceMs} ms of ${reason.name}`,
      );
      child.kill();
      this.replenish();
    }, this.options.killGraceMs);
  }

  private onDone(
    child: PoolChild<PoolJob>,
    { seq, outcome, rss }: FromChild & { t: 'done' },
  ): void {
    const job = child.running.get(seq);
    child.running.delete(seq);
    child.tasksRun++;
    if (job) this.settle(job, outcomeFromData(outcome));
    const { maxTasksPerChild, maxMemoryPerChild } = this.options;
    if (maxTasksPerChild !== null && child.tasksRun >= maxTasksPerChild)
      this.retire(child);
    else if (
      maxMemoryPerChild !== null &&
      rss !== undefined &&
      rss > maxMemoryPerChild * 1024
    ) {
      this.logger.log(
        `Pool child ${child.pid} uses ${Math.round(rss / 1024)} KiB (maxMemoryPerChild ${maxMemoryPerChild}): replacing it`,
      );
      this.retire(child);
    }
    if (child.retiring && child.running.size === 0) child.close();
    this.dispatch();
  }

  private onExit(
    child: PoolChild<PoolJob>,
    code: number | null,
    signal: NodeJS.Signals | null,
  ): void {
    this.children.delete(child);
    if (this.stopping) return; // its runs stay unsettled: redelivered
    const lost = [...child.running.values()].filter((job) => !job.settled);
    child.running.clear();
    if (!child.isReady) {
      this.logger.error(
        `Pool child exited (${signal ?? `code ${String(code)}`}) before it was ready; trying again in ${RESPAWN_DELAY_MS} ms`,
      );
      this.respawnTimer ??= setTimeout(() => {
        this.respawnTimer = null;
        if (!this.stopping) this.replenish();
      }, RESPAWN_DELAY_MS);
      return;
    }
    if (lost.length > 0 || !child.retiring) {
      this.logger.warn(
        `Pool child ${child.pid} exited (${signal ?? `code ${String(code)}`}) ` +
          `with ${lost.length} task(s) running; starting another`,
      );
    }
    for (const job of lost)
      this.settle(job, {
        kind: 'failure',
        error: new WorkerLostError(code, signal),
      });
    this.replenish();
    this.dispatch();
  }

  /** Takes no more tasks; closes once idle; another child is started in its place. */
  private retire(child: PoolChild<PoolJob>): void {
    if (child.retiring) return;
    child.retiring = true;
    if (child.running.size === 0) child.close();
    this.replenish();
  }

  /** Children that take tasks (booting or ready). */
  private taking(): PoolChild<PoolJob>[] {
    return [...this.children].filter((child) => !child.retiring);
  }

  /** Forks children until as many take tasks as wanted; returns the new ones. */
  private replenish(): PoolChild<PoolJob>[] {
    const started: PoolChild<PoolJob>[] = [];
    if (this.stopping || this.respawnTimer) return started;
    for (let n = this.taking().length; n < this.target; n++) {
      const child = new PoolChild<PoolJob>(this.entry, {
        done: (from, message) => this.onDone(from, message),
        exit: (from, code, signal) => this.onExit(from, code, signal),
      });
      this.children.add(child);
      started.push(child);
      void child.ready.then(
        () => this.dispatch(),
        () => undefined,
      );
    }
    return started;
  }
}

function noop(): void {}
