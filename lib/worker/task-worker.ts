import { Logger } from '@nestjs/common';
import { ResolvedWorkerOptions } from '../module/resolve-options';
import {
  MalformedMessageError,
  TaskRequest,
  parseTaskMessage,
  resultMeta,
} from '../protocol';
import { ResultBackend } from '../results/result-backend';
import { Consumer, Delivery, Transport } from '../transports/transport';
import { TaskExecutor, notRegisteredMeta } from './task-executor';

/** An eta this close is run now rather than sent back to the delay store. */
const ETA_SLACK_MS = 10;

export interface TaskWorkerDeps {
  transport: Transport;
  backend: ResultBackend;
  executor: TaskExecutor;
  resultExpiresSeconds: number;
  acksLateByDefault: boolean;
  /** Hold the process open while consuming (a standalone worker), whatever the broker keeps open. */
  keepProcessAlive?: boolean;
  logger?: Logger;
}

/**
 * Consumes queues and runs their tasks, never more than `concurrency` at once.
 * Acks after the task finished (acks late) unless the task says otherwise; bad input
 * (undecodable, unknown task) is logged, recorded and dead-lettered, and the worker goes on.
 */
export class TaskWorker {
  private readonly logger: Logger;
  private readonly waiting: Delivery[] = [];
  /** Every delivery being handled, from decode to settle: what shutdown waits for. */
  private readonly running = new Set<Promise<void>>();
  /** Task functions running now: at most `concurrency`. */
  private executing = 0;
  private consumer: Consumer | null = null;
  private stopping = false;
  private keepAlive: NodeJS.Timeout | null = null;
  /** Tasks finished since start: for logs and tests. */
  processed = 0;

  constructor(
    private readonly deps: TaskWorkerDeps,
    readonly options: ResolvedWorkerOptions,
  ) {
    this.logger = deps.logger ?? new Logger('TaskWorker');
  }

  /** Deliveries being handled (running, or storing their result and settling). */
  get inFlight(): number {
    return this.running.size;
  }

  async start(): Promise<void> {
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
    const unstarted = this.waiting.splice(0);
    await Promise.all(
      unstarted.map((delivery) => this.settle(() => delivery.requeue())),
    );
    if (this.running.size > 0) {
      this.logger.log(
        `Waiting for ${this.running.size} running task(s) to finish`,
      );
      const finished = await waitAll(
        this.running,
        this.options.shutdownTimeoutMs,
      );
      if (!finished) {
        this.logger.warn(
          `${this.running.size} task(s) still running after ${this.options.shutdownTimeoutMs} ms: ` +
            `left unacknowledged, the broker will deliver them again`,
        );
      }
    }
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
   * Starts waiting deliveries while fewer than `concurrency` tasks run. A slot is taken
   * for the whole handling and given back as soon as the task function returned:
   * storing the result and acking go on meanwhile (the broker's prefetch bounds them).
   */
  private drain(): void {
    while (
      !this.stopping &&
      this.executing < this.options.concurrency &&
      this.waiting.length > 0
    ) {
      const delivery = this.waiting.shift()!;
      this.executing++;
      let slotFreed = false;
      const freeSlot = () => {
        if (slotFreed) return;
        slotFreed = true;
        this.executing--;
        this.drain();
      };
      const run = this.handle(delivery, freeSlot)
        .catch((error: unknown) =>
          this.logger.error(`Unexpected worker error: ${String(error)}`),
        )
        .finally(() => {
          this.running.delete(run);
          this.processed++;
          freeSlot();
        });
      this.running.add(run);
    }
  }

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
      await this.store(
        request,
        resultMeta(request.id, 'REVOKED', {
          exc_type: 'TaskRevokedError',
          exc_message: ['expired'],
          exc_module: 'celery.exceptions',
        }),
      );
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
      await this.store(request, notRegisteredMeta(request));
      await this.settle(() =>
        delivery.deadLetter(`NotRegistered: ${request.name}`),
      );
      return;
    }

    const acksLate = task.options.acksLate ?? this.deps.acksLateByDefault;
    if (!acksLate) await this.settle(() => delivery.ack());
    const meta = await this.deps.executor.execute(task, request);
    freeSlot();
    if (meta.status === 'FAILURE') {
      this.logger.warn(
        `Task ${request.name}[${request.id}] failed: ${describe(meta.result)}`,
      );
    }
    const stored = await this.store(request, meta);
    if (!acksLate) return;
    await this.settle(() => (stored ? delivery.ack() : delivery.requeue()));
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

  /** Stores a state; false when the backend failed (the delivery then goes back). */
  private async store(
    request: TaskRequest,
    meta: Parameters<ResultBackend['store']>[0],
  ): Promise<boolean> {
    if (request.ignoreResult && meta.status === 'SUCCESS') return true;
    try {
      await this.deps.backend.store(meta, {
        replyTo: request.replyTo,
        expiresIn: this.deps.resultExpiresSeconds,
      });
      return true;
    } catch (error) {
      this.logger.error(
        `Could not store ${meta.status} of ${request.name}[${request.id}] on ${this.deps.backend.kind}: ` +
          `${String(error)}; the message goes back to the queue`,
      );
      return false;
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

function describe(result: unknown): string {
  const info = result as { exc_type?: string; exc_message?: unknown[] } | null;
  return info?.exc_type
    ? `${info.exc_type}: ${(info.exc_message ?? []).join(', ')}`
    : JSON.stringify(result);
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
