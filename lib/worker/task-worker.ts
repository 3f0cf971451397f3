import { Logger } from '@nestjs/common';
import { TaskRevokedError } from '../client/errors';
import { ResolvedWorkerOptions } from '../options/resolve-options';
import {
  MalformedMessageError,
  TaskRequest,
  parseTaskMessage,
} from '../protocol';
import { RegisteredTask } from '../registry/registered-task';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { RevocationStore } from '../results/revocation-store';
import {
  ControlBus,
  ControlMessage,
  ControlSubscription,
  readRevoke,
} from '../transports/control-bus';
import { Consumer, Delivery, Transport } from '../transports/transport';
import { unsupportedCanvas } from './canvas-notice';
import { RateGate } from './rate-gate';
import { RevokedTasks } from './revoked-tasks';
import { RunControl } from './run-control';
import { TaskExecutor, notRegisteredMeta } from './task-executor.service';
import { Settlement, TaskFinisher } from './task-finisher.service';

/** An eta this close is run now rather than sent back to the delay store. */
const ETA_SLACK_MS = 10;
/** A rate-limited task due within this is held in memory; a later one goes to the delay store. */
const RATE_HOLD_MAX_MS = 1000;

export interface TaskWorkerDeps {
  transport: Transport;
  executor: TaskExecutor;
  finisher: TaskFinisher;
  /** Revokes broadcast live; null when the broker has no control bus. */
  controlBus?: ControlBus | null;
  /** Revokes kept for workers that start later; null when nowhere. */
  revocations?: RevocationStore | null;
  /** How long a revoke heard live is kept, in seconds. */
  revokeExpiresSeconds?: number;
  /** Counts `rateLimit` (per worker process): a fresh limiter per worker. */
  localRateLimiter: RateLimiter;
  /** The fleet-wide rate limiter; null without a rateLimitStore. */
  fleetRateLimiter?: RateLimiter | null;
  /** Hold the process open while consuming (a standalone worker), whatever the broker keeps open. */
  keepProcessAlive?: boolean;
  logger?: Logger;
}

/**
 * Consumes queues and runs their tasks, never more than `concurrency` at once.
 * Acks after the task finished (acks late) unless the task says otherwise; bad input
 * (undecodable, unknown task) is logged, recorded and dead-lettered, and the worker goes on.
 * Skips expired and revoked tasks (REVOKED), holds rate-limited ones without taking a
 * slot, and terminates a running task on a revoke with terminate.
 */
export class TaskWorker {
  private readonly logger: Logger;
  private readonly waiting: Delivery[] = [];
  /** Every delivery being handled, from its start to its settlement. */
  private readonly handling = new Set<Promise<void>>();
  /** Concurrency slots taken: a slot is freed once the task function has returned. */
  private busySlots = 0;
  /** Running tasks by id, for revoke with terminate. */
  private readonly active = new Map<string, RunControl>();
  /** Rate-limited deliveries waiting in memory for their slot. */
  private readonly held = new Map<Delivery, NodeJS.Timeout>();
  /** Deliveries whose rate-limit slot has come. */
  private readonly admitted = new WeakSet<Delivery>();
  private readonly revoked = new RevokedTasks();
  private readonly rateGate: RateGate;
  private consumer: Consumer | null = null;
  private control: ControlSubscription | null = null;
  private stopping = false;
  private keepAlive: NodeJS.Timeout | null = null;
  /** Tasks finished since start: for logs and tests. */
  processed = 0;

  constructor(
    private readonly deps: TaskWorkerDeps,
    readonly options: ResolvedWorkerOptions,
  ) {
    this.logger = deps.logger ?? new Logger('TaskWorker');
    this.rateGate = new RateGate(
      deps.localRateLimiter,
      deps.fleetRateLimiter ?? null,
    );
  }

  /** Deliveries being handled: running, or storing their result and settling. */
  get inFlight(): number {
    return this.handling.size;
  }

  /** Listens for revokes (live, then those kept), then starts consuming. */
  async start(): Promise<void> {
    await this.listenForRevokes();
    const { queues, concurrency, prefetchMultiplier } = this.options;
    this.consumer = await this.deps.transport.consume(
      queues,
      (delivery) => this.accept(delivery),
      {
        prefetch: concurrency * prefetchMultiplier,
      },
    );
    if (this.deps.keepProcessAlive)
      this.keepAlive = setInterval(() => undefined, 1 << 30);
    this.logger.log(
      `Consuming ${queues.join(', ')} on ${this.deps.transport.kind} with concurrency ${concurrency}`,
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
    await this.consumer?.stop();
    for (const timer of this.held.values()) clearTimeout(timer);
    const unstarted = [...this.waiting.splice(0), ...this.held.keys()];
    this.held.clear();
    await Promise.all(
      unstarted.map((delivery) => this.settle(() => delivery.requeue())),
    );
    if (this.handling.size > 0) {
      this.logger.log(
        `Waiting for ${this.handling.size} running task(s) to finish`,
      );
      const finished = await waitAll(
        this.handling,
        this.options.shutdownTimeoutMs,
      );
      if (!finished) {
        this.logger.warn(
          `${this.handling.size} task(s) still running after ${this.options.shutdownTimeoutMs} ms: ` +
            `left unacknowledged, the broker will deliver them again`,
        );
      }
    }
    await this.control?.close().catch(() => undefined);
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.logger.log(`Stopped consuming ${this.options.queues.join(', ')}`);
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
      this.busySlots < this.options.concurrency &&
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
      const handled = this.handle(delivery, freeSlot)
        .catch((error: unknown) =>
          this.logger.error(`Unexpected worker error: ${String(error)}`),
        )
        .finally(() => {
          this.handling.delete(handled);
          this.processed++;
          freeSlot();
        });
      this.handling.add(handled);
    }
  }

  /** `freeSlot` is called once the task function has returned (or never ran). */
  private async handle(
    delivery: Delivery,
    freeSlot: () => void,
  ): Promise<void> {
    const request = await this.decode(delivery);
    if (!request) return;

    if (request.expires && request.expires.getTime() <= Date.now()) {
      this.logger.warn(
        `Task ${request.name}[${request.id}] expired at ${request.expires.toISOString()}: not run`,
      );
      await this.deps.finisher.storeRevoked(request, 'expired');
      await this.settle(() => delivery.ack());
      return;
    }
    if (this.revoked.has(request.id)) {
      this.logger.log(
        `Task ${request.name}[${request.id}] was revoked: not run`,
      );
      await this.deps.finisher.storeRevoked(request, 'revoked');
      await this.settle(() => delivery.ack());
      return;
    }
    if (request.eta && request.eta.getTime() > Date.now() + ETA_SLACK_MS) {
      await this.settle(() => delivery.defer(request.eta!));
      return;
    }

    const task = this.deps.executor.find(request.name);
    if (!task) {
      this.logger.error(
        `Received unregistered task "${request.name}" [${request.id}]: stored as FAILURE NotRegistered, dead-lettered`,
      );
      await this.deps.finisher.store(request, notRegisteredMeta(request));
      await this.settle(() =>
        delivery.deadLetter(`NotRegistered: ${request.name}`),
      );
      return;
    }
    const canvas = unsupportedCanvas(request.embed);
    if (canvas) {
      this.logger.warn(
        `Task ${request.name}[${request.id}] carries ${canvas}: Celeriac does not run Celery canvas yet, so only this task runs`,
      );
    }
    const { rateLimit, fleetRateLimit } = task.policy;
    if (
      (rateLimit || fleetRateLimit) &&
      (await this.waitsForRate(delivery, task, request))
    )
      return;
    await this.run(delivery, task, request, freeSlot);
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
    this.active.set(request.id, control);
    let outcome;
    try {
      outcome = await this.deps.executor.run(task, request, {
        queue: delivery.queue,
        eager: false,
        control,
      });
    } finally {
      if (this.active.get(request.id) === control)
        this.active.delete(request.id);
      freeSlot();
      delivery.doneRunning?.();
    }
    const settlement = await this.deps.finisher.finish(outcome, {
      request,
      task,
      queue: delivery.queue,
      canDeadLetter: acksLate,
      publishRetry: (queue, message) =>
        this.deps.transport.publish(queue ?? delivery.queue, message),
    });
    if (acksLate) await this.settleAs(delivery, settlement);
  }

  /**
   * True when the task must wait for its rate-limit slot: then it waits without a
   * concurrency slot, in memory when its turn is near (and the prefetch beyond the
   * running slots has room), else in the broker's delay store.
   */
  private async waitsForRate(
    delivery: Delivery,
    task: RegisteredTask,
    request: TaskRequest,
  ): Promise<boolean> {
    if (this.admitted.has(delivery)) return false;
    const { waitMs, reserved } = await this.rateGate.wait(task, request);
    if (waitMs <= 0) return false;
    const { concurrency, prefetchMultiplier } = this.options;
    const holdRoom = Math.max(
      1,
      concurrency * prefetchMultiplier - concurrency,
    );
    if (
      waitMs <= RATE_HOLD_MAX_MS &&
      this.held.size < holdRoom &&
      !this.stopping
    ) {
      const timer = setTimeout(() => {
        this.held.delete(delivery);
        if (reserved) this.admitted.add(delivery);
        this.waiting.unshift(delivery);
        this.drain();
      }, waitMs);
      this.held.set(delivery, timer);
      return true;
    }
    const at = Date.now() + waitMs;
    if (reserved) this.rateGate.remember(request.id, at);
    await this.settle(() => delivery.defer(new Date(at)));
    return true;
  }

  /** Subscribes to revokes broadcast from now on, then loads those kept. */
  private async listenForRevokes(): Promise<void> {
    const { controlBus, revocations } = this.deps;
    if (controlBus)
      this.control = await controlBus.subscribeControl((message) =>
        this.onControl(message),
      );
    if (!revocations) return;
    try {
      for (const { taskId, expiresAt } of await revocations.listRevoked()) {
        this.revoked.add(taskId, expiresAt.getTime());
      }
    } catch (error) {
      this.logger.warn(
        `Could not load the revoked task ids: ${String(error)}; only new revokes are honoured`,
      );
    }
  }

  private onControl(message: ControlMessage): void {
    const revoke = readRevoke(message);
    if (!revoke) return;
    const expiresAt =
      Date.now() + (this.deps.revokeExpiresSeconds ?? 10_800) * 1000;
    for (const taskId of revoke.taskIds) {
      this.revoked.add(taskId, expiresAt);
      const running = this.active.get(taskId);
      if (running && revoke.terminate) {
        this.logger.warn(`Terminating task ${taskId} (revoked with terminate)`);
        running.abandon(new TaskRevokedError(taskId, 'terminated'));
      }
    }
  }

  /** The task request, or undefined after dead-lettering what cannot be run. */
  private async decode(delivery: Delivery): Promise<TaskRequest | undefined> {
    let reason: string;
    if (!delivery.message) {
      reason = `envelope does not decode: ${delivery.decodeError?.message ?? 'unknown reason'}`;
    } else {
      try {
        return parseTaskMessage(delivery.message);
      } catch (error) {
        if (!(error instanceof MalformedMessageError)) throw error;
        reason = error.message;
      }
    }
    this.logger.error(
      `Malformed message on ${delivery.queue}: ${reason}; dead-lettered`,
    );
    await this.settle(() =>
      delivery.deadLetter(`malformed message: ${reason}`),
    );
    return undefined;
  }

  private settleAs(delivery: Delivery, settlement: Settlement): Promise<void> {
    switch (settlement.kind) {
      case 'ack':
        return this.settle(() => delivery.ack());
      case 'requeue':
        return this.settle(() => delivery.requeue());
      case 'dead-letter':
        return this.settle(() => delivery.deadLetter(settlement.reason));
    }
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

/** True when every promise settled within `ms`. */
async function waitAll(
  promises: Set<Promise<void>>,
  ms: number,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>(
    (resolve) => (timer = setTimeout(() => resolve(false), ms)),
  );
  const all = (async () => {
    while (promises.size > 0) await Promise.allSettled([...promises]);
    return true as const;
  })();
  const finished = await Promise.race([all, timeout]);
  clearTimeout(timer);
  return finished;
}
