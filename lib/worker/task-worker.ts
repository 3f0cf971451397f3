import { Logger } from '@nestjs/common';
import { TaskRevokedError } from '../client/errors';
import { LinkedSet } from '../common/linked-set';
import { InFlightCount } from '../common/in-flight-count';
import { ResolvedWorkerOptions } from '../options/resolve-options';
import { TaskRequest } from '../protocol';
import { RegisteredTask } from '../registry/registered-task';
import { Delivery } from '../transports/transport';
import { RequestInHand } from './control/control-command';
import { WorkerControlTarget } from './control/worker-control-target';
import { QueueConsumers } from './queue-consumers';
import { decodeDelivery } from './decode-delivery';
import { checkEta } from './pre-run/check-eta';
import { checkExpired } from './pre-run/check-expired';
import { checkRateLimit } from './pre-run/check-rate-limit';
import { checkRegistered } from './pre-run/check-registered';
import { checkRevoked } from './pre-run/check-revoked';
import { PreRunPipeline } from './pre-run/pre-run-pipeline';
import { PreRunDecision } from './pre-run/pre-run-step';
import { RateGate } from './rate-gate';
import { RevokeListener } from './revoke-listener';
import { RunControl } from './run-control';
import { Settlement } from './task-finisher.service';
import { ProcessPool } from './pool/process-pool';
import { WorkerLostError } from './pool/errors';
import { TaskRunner } from './task-runner';
import { WorkerNode } from './worker-node';
import { TaskWorkerDeps } from './task-worker-deps';

export type { TaskWorkerDeps } from './task-worker-deps';

/**
 * Consumes queues and runs their tasks, never more than `concurrency` at once.
 * Acks after the task finished (acks late) unless the task says otherwise; bad input
 * (undecodable, unknown task) is logged, recorded and dead-lettered, and the worker goes on.
 * Skips expired and revoked tasks (REVOKED), holds early eta and rate-limited ones without taking a
 * slot, and terminates a running task on a revoke with terminate.
 */
export class TaskWorker {
  private readonly logger: Logger;
  private readonly waiting: Delivery[] = [];
  /** Every delivery being handled, from its start to its settlement. */
  private readonly handling = new InFlightCount();
  /** Concurrency slots taken: a slot is freed once the task function has returned. */
  private busySlots = 0;
  /** Running tasks, for revoke with terminate and `inspect active`. */
  private readonly runningTasks = new LinkedSet<{
    control: RunControl;
    inHand: RequestInHand;
  }>();
  /** Deliveries waiting in memory: for a rate-limit slot, or for their eta. */
  private readonly held = new Map<
    Delivery,
    { timer: NodeJS.Timeout; releaseAt: number }
  >();
  /** Those of `held` waiting for their eta: they take no rate-limit hold room. */
  private readonly heldForEta = new Set<Delivery>();
  private readonly revokes: RevokeListener;
  private readonly preRun: PreRunPipeline;
  private consumers: QueueConsumers | null = null;
  private readonly workerNode: WorkerNode;
  /** Most task functions running at once: the option, changed by pool_grow/shrink. */
  private slots: number;
  /** Tasks finished since start, by name (`inspect stats` total). */
  private readonly finishedByName = new Map<string, number>();
  private stopping = false;
  private keepAlive: NodeJS.Timeout | null = null;
  /** Tasks finished since start: for logs and tests. */
  processed = 0;

  constructor(
    private readonly deps: TaskWorkerDeps,
    readonly options: ResolvedWorkerOptions,
  ) {
    this.logger = deps.logger ?? new Logger('TaskWorker');
    this.slots = options.concurrency;
    this.revokes = new RevokeListener({
      revocations: deps.revocations ?? null,
      revokeExpiresSeconds: deps.revokeExpiresSeconds ?? 10_800,
      onTerminate: (taskId) => this.terminate(taskId),
      logger: this.logger,
    });
    // Held deliveries use the prefetch beyond the running slots.
    const holdRoom = () => Math.max(1, this.prefetch - this.slots);
    this.preRun = new PreRunPipeline([
      checkExpired(),
      checkRevoked(this.revokes.revoked),
      checkEta(),
      checkRegistered(),
      checkRateLimit(
        new RateGate(deps.localRateLimiter, deps.fleetRateLimiter ?? null),
        () =>
          this.held.size - this.heldForEta.size < holdRoom() && !this.stopping,
      ),
    ]);
    this.workerNode = new WorkerNode({
      controlBus: deps.controlBus ?? null,
      events: deps.events ?? null,
      nodeName: options.nodeName,
      transportKind: deps.transport.kind,
      nodeInfo: deps.nodeInfo,
      target: this.controlTarget(),
      lifecycle: deps.lifecycle,
      activity: {
        active: () => this.runningTasks.size,
        processed: () => this.processed,
      },
      logger: this.logger,
    });
  }

  /** What remote control reads and changes here (see control/). */
  private controlTarget(): WorkerControlTarget {
    const { deps, options } = this;
    const pool = deps.pool;
    return new WorkerControlTarget(
      {
        running: this.runningTasks,
        waiting: this.waiting,
        held: this.held,
        finishedByName: this.finishedByName,
        revokes: this.revokes,
        registry: deps.executor,
        concurrency: () => this.slots,
        prefetch: () => this.prefetch,
        resize: (slots) => this.resize(slots),
        queues: () => this.queues(),
        consumers: () => (this.consuming ? this.consumers : null),
        wholePool:
          pool && options.pool
            ? {
                runner: pool.runner,
                childConcurrency: options.pool.childConcurrency,
              }
            : null,
        events: () => this.workerNode.events,
        shutdown: (reason) => {
          if (deps.onShutdownCommand) deps.onShutdownCommand(reason);
          else void this.stop();
        },
      },
      this.logger,
    );
  }

  /** Deliveries being handled: running, or storing their result and settling. */
  get inFlight(): number {
    return this.handling.size;
  }

  /** Task functions running now. */
  get running(): number {
    return this.runningTasks.size;
  }

  /** Its Celery node name (`celeriac@host`); empty without a control bus. */
  get node(): string {
    return this.workerNode.node;
  }

  /** Most tasks running at once now (the option, or as pool_grow/shrink set it). */
  get concurrency(): number {
    return this.slots;
  }

  /** Deliveries that may be outstanding: concurrency x prefetchMultiplier. */
  get prefetch(): number {
    return this.slots * this.options.prefetchMultiplier;
  }

  /** Deliveries taken from the broker and not started: waiting for a slot, or held (rate limit, eta). */
  get prefetched(): number {
    return this.waiting.length + this.held.size;
  }

  /** True from start() until stop(): consuming its queues. */
  get consuming(): boolean {
    return this.consumers !== null && !this.stopping;
  }

  /** The process pool, for pool_grow / pool_shrink (`resize`); null when tasks run here. */
  get pool(): ProcessPool | null {
    return this.deps.pool?.runner ?? null;
  }

  /**
   * Becomes a Celery node (listens for remote control: revokes, inspect, control),
   * loads the revokes kept, then starts consuming.
   */
  async start(): Promise<void> {
    this.deps.finisher.nodeName = await this.workerNode.start();
    await this.deps.pool?.runner.start();
    await this.revokes.start();
    const { queues } = this.options;
    this.consumers = new QueueConsumers(
      this.deps.transport,
      queues,
      this.prefetch,
      (delivery) => this.accept(delivery),
    );
    await this.consumers.start();
    if (this.deps.keepProcessAlive)
      this.keepAlive = setInterval(() => undefined, 1 << 30);
    this.logger.log(
      `Consuming ${queues.join(', ')} on ${this.deps.transport.kind} with concurrency ${this.slots}` +
        (this.node ? ` as ${this.node}` : ''),
    );
  }

  /**
   * Stops fetching, gives back what was fetched but not started, and waits for
   * running tasks up to the shutdown timeout; what is still running then is left
   * to be redelivered.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    await this.consumers?.stop();
    for (const { timer } of this.held.values()) clearTimeout(timer);
    const unstarted = [...this.waiting.splice(0), ...this.held.keys()];
    this.held.clear();
    this.heldForEta.clear();
    await Promise.all(
      unstarted.map((delivery) => this.settle(() => delivery.requeue())),
    );
    if (this.handling.size > 0) {
      this.logger.log(
        `Waiting for ${this.handling.size} running task(s) to finish`,
      );
      const finished = await this.handling.whenNone(
        this.options.shutdownTimeoutMs,
      );
      if (!finished) {
        this.logger.warn(
          `${this.handling.size} task(s) still running after ${this.options.shutdownTimeoutMs} ms: ` +
            `left unacknowledged, the broker will deliver them again`,
        );
      }
    }
    await this.workerNode.stop();
    await this.deps.pool?.runner.stop();
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.logger.log(
      `Stopped consuming ${(this.consumers?.queues ?? this.options.queues).join(', ')}`,
    );
  }

  private accept(delivery: Delivery): void {
    if (this.stopping) {
      void this.settle(() => delivery.requeue());
      return;
    }
    this.waiting.push(delivery);
    this.drain();
  }

  /**
   * Starts waiting deliveries while slots are free. A slot bounds task functions
   * running at once; storing a result and settling happen after the slot is freed
   * (the next task starts meanwhile). They stay bounded: on AMQP the broker counts a
   * delivery against the prefetch until it is settled; on Redis, `doneRunning` lets
   * the consumer fetch in its place, within a settling budget as large as the prefetch.
   */
  private drain(): void {
    while (
      !this.stopping &&
      this.busySlots < this.slots &&
      this.waiting.length > 0
    ) {
      const delivery = this.waiting.shift()!;
      this.busySlots++;
      let slotHeld = true;
      const freeSlot = () => {
        if (!slotHeld) return;
        slotHeld = false;
        this.busySlots--;
        this.drain();
      };
      this.handling.begin();
      void this.handle(delivery, freeSlot)
        .catch((error: unknown) =>
          this.logger.error(`Unexpected worker error: ${String(error)}`),
        )
        .finally(() => {
          this.handling.end();
          this.processed++;
          freeSlot();
        });
    }
  }

  /** `freeSlot` is called once the task function has returned (or never ran). */
  private async handle(
    delivery: Delivery,
    freeSlot: () => void,
  ): Promise<void> {
    const request = await this.decode(delivery);
    if (!request) return;
    this.deps.lifecycle.received(request, delivery.queue);
    const task = this.deps.executor.find(request.name);
    const decision = await this.preRun.decide({ delivery, request, task });
    if (decision.action === 'run')
      await this.run(delivery, task!, request, freeSlot);
    else await this.carryOut(decision, delivery, request);
  }

  /** Does what a pre-run check decided instead of running the task. */
  private async carryOut(
    decision: Exclude<PreRunDecision, { action: 'run' }>,
    delivery: Delivery,
    request: TaskRequest,
  ): Promise<void> {
    switch (decision.action) {
      case 'revoke':
        if (decision.reason === 'expired') this.logger.warn(decision.log);
        else this.logger.log(decision.log);
        this.deps.lifecycle.revoked(request, decision.reason);
        await this.deps.finisher.storeRevoked(
          request,
          decision.reason,
          delivery.queue,
        );
        return this.settle(() => delivery.ack());
      case 'defer':
        return this.settle(() => delivery.defer(decision.until));
      case 'hold':
        if (decision.eta) {
          delivery.holdForEta?.();
          this.heldForEta.add(delivery);
        }
        return this.hold(delivery, decision.ms);
      case 'reject':
        this.logger.error(decision.log);
        this.deps.lifecycle.rejected(request, delivery.queue, decision.reason);
        await this.deps.finisher.storeRefused(
          request,
          decision.meta,
          delivery.queue,
        );
        return this.deadLetter(delivery, request, decision.reason);
    }
  }

  /** Keeps a delivery in memory for `ms` without a slot, then lets it through again. */
  private hold(delivery: Delivery, ms: number): void {
    const timer = setTimeout(() => {
      this.held.delete(delivery);
      this.heldForEta.delete(delivery);
      this.waiting.unshift(delivery);
      this.drain();
    }, ms);
    this.held.set(delivery, { timer, releaseAt: Date.now() + ms });
  }

  private async run(
    delivery: Delivery,
    task: RegisteredTask,
    request: TaskRequest,
    freeSlot: () => void,
  ): Promise<void> {
    const { acksLate } = task.policy;
    if (!acksLate) await this.settle(() => delivery.ack());
    const control = new RunControl();
    const running = this.runningTasks.add({
      control,
      inHand: {
        request,
        queue: delivery.queue,
        redelivered: delivery.redelivered,
        startedAt: Date.now(),
        acknowledged: !acksLate,
      },
    });
    let outcome;
    if (task.policy.trackStarted)
      await this.deps.finisher.storeStarted(
        request,
        this.deps.finisher.nodeName,
      );
    this.deps.lifecycle.started(request, delivery.queue);
    const startedAt = performance.now();
    try {
      outcome = await this.runnerFor(task).run(task, request, {
        queue: delivery.queue,
        eager: false,
        control,
      });
    } finally {
      this.runningTasks.remove(running);
      this.finishedByName.set(
        request.name,
        (this.finishedByName.get(request.name) ?? 0) + 1,
      );
      freeSlot();
      delivery.doneRunning?.();
    }
    this.deps.lifecycle.finished(
      request,
      outcome,
      performance.now() - startedAt,
    );
    if (
      acksLate &&
      task.policy.rejectOnWorkerLost &&
      outcome.kind === 'failure' &&
      outcome.error instanceof WorkerLostError
    ) {
      // Celery's reject_on_worker_lost: given back, no FAILURE stored.
      this.logger.warn(
        `Task ${request.name}[${request.id}] lost its child process: delivered again (rejectOnWorkerLost)`,
      );
      return this.settle(() => delivery.requeue());
    }
    const settlement = await this.deps.finisher.finish(outcome, {
      request,
      task,
      queue: delivery.queue,
      canDeadLetter: acksLate,
      publishRetry: (queue, message) =>
        this.deps.transport.publish(queue ?? delivery.queue, message),
    });
    if (acksLate) await this.settleAs(delivery, request, settlement);
  }

  private runnerFor(task: RegisteredTask): TaskRunner {
    const pool = this.deps.pool;
    return pool && (pool.every || task.policy.isolated)
      ? pool.runner
      : this.deps.executor;
  }

  /**
   * A revoke with terminate: the running task is abandoned and reads REVOKED (every
   * run of that id, should a duplicate delivery run it twice).
   */
  private terminate(taskId: string): boolean {
    const runs = this.runningTasks
      .values()
      .filter(({ inHand }) => inHand.request.id === taskId);
    if (runs.length === 0) return false;
    this.logger.warn(`Terminating task ${taskId} (revoked with terminate)`);
    for (const { control } of runs)
      control.abandon(new TaskRevokedError(taskId, 'terminated'));
    return true;
  }

  /** The queues consumed now (add_consumer / cancel_consumer change them). */
  queues(): readonly string[] {
    return this.consumers?.queues ?? this.options.queues;
  }

  /** Sets the slots (pool_grow / pool_shrink), and the prefetch that follows them. */
  private async resize(slots: number): Promise<void> {
    this.slots = slots;
    this.drain();
    await this.consumers?.setPrefetch(this.prefetch);
  }

  /**
   * The task request, or undefined after dead-lettering what cannot be read. When its
   * task id can be read, a FAILURE is stored first, so its caller does not wait forever.
   */
  private async decode(delivery: Delivery): Promise<TaskRequest | undefined> {
    const decoded = decodeDelivery(delivery);
    if (decoded.ok) return decoded.request;
    const { reason, failed } = decoded;
    this.deps.lifecycle.rejected(failed?.request, delivery.queue, reason);
    if (failed) {
      const { request, meta } = failed;
      this.logger.error(
        `Cannot run task ${request.name}[${request.id}] from ${delivery.queue}: ${reason}; stored as FAILURE, dead-lettered`,
      );
      await this.deps.finisher.store(request, meta, delivery.queue);
    } else {
      this.logger.error(
        `Malformed message on ${delivery.queue}: ${reason}; dead-lettered`,
      );
    }
    await this.deadLetter(
      delivery,
      failed?.request,
      `malformed message: ${reason}`,
    );
    return undefined;
  }

  private settleAs(
    delivery: Delivery,
    request: TaskRequest,
    settlement: Settlement,
  ): Promise<void> {
    switch (settlement.kind) {
      case 'ack':
        return this.settle(() => delivery.ack());
      case 'requeue':
        return this.settle(() => delivery.requeue());
      case 'dead-letter':
        return this.deadLetter(delivery, request, settlement.reason);
    }
  }

  private async deadLetter(
    delivery: Delivery,
    request: TaskRequest | undefined,
    reason: string,
  ): Promise<void> {
    await this.settle(() => delivery.deadLetter(reason));
    this.deps.lifecycle.deadLettered(request, delivery.queue, reason);
  }

  /** Settles a delivery; a broker error is logged (the broker redelivers what was not settled). */
  private async settle(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.logger.error(`Could not settle a delivery: ${String(error)}`);
    }
  }
}
