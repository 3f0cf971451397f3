import { Logger } from '@nestjs/common';
import { ReadonlyLinkedSet } from '../../common/linked-set';
import { RegisteredTask } from '../../registry/registered-task';
import { Delivery } from '../../transports/transport';
import { decodeDelivery } from '../decode-delivery';
import { ProcessPool } from '../pool/process-pool';
import { QueueConsumers } from '../queue-consumers';
import { RevokeListener } from '../revoke-listener';
import { ControlTarget, EventSwitch, RequestInHand } from './control-command';

/**
 * The state of a TaskWorker that remote control reads and the levers it pulls. The
 * collections are the worker's own (shared, never copied), so reading them costs the
 * worker's loop nothing.
 */
export interface ControlledWorker {
  /** Tasks running now, in the order they started. */
  readonly running: ReadonlyLinkedSet<{ inHand: RequestInHand }>;
  /** Deliveries waiting for a slot. */
  readonly waiting: readonly Delivery[];
  /** Deliveries held in memory (eta, rate limit) with when they are let through. */
  readonly held: ReadonlyMap<Delivery, { releaseAt: number }>;
  /** Tasks finished since start, by name. */
  readonly finishedByName: ReadonlyMap<string, number>;
  readonly revokes: RevokeListener;
  readonly registry: {
    find(name: string): RegisteredTask | undefined;
    tasks(): RegisteredTask[];
  };
  concurrency(): number;
  prefetch(): number;
  /** Sets the slots (and the prefetch that follows them). */
  resize(slots: number): Promise<void>;
  queues(): readonly string[];
  /** The queue consumers while consuming; null before start and once stopping. */
  consumers(): QueueConsumers | null;
  /** The process pool running every task, with its tasks per child; null otherwise. */
  readonly wholePool: { runner: ProcessPool; childConcurrency: number } | null;
  events(): EventSwitch | null;
  shutdown(reason: string): void;
}

/** The ControlTarget of a TaskWorker: what `inspect` and `control` commands read and change. */
export class WorkerControlTarget implements ControlTarget {
  constructor(
    private readonly worker: ControlledWorker,
    private readonly logger: Logger,
  ) {}

  get concurrency(): number {
    return this.worker.concurrency();
  }

  get prefetch(): number {
    return this.worker.prefetch();
  }

  active(): RequestInHand[] {
    return this.worker.running.values().map(({ inHand }) => inHand);
  }

  reserved(): RequestInHand[] {
    return requestsInHand(this.worker.waiting, () => undefined);
  }

  scheduled(): RequestInHand[] {
    const { held } = this.worker;
    return requestsInHand(
      [...held.keys()],
      (delivery) => held.get(delivery)?.releaseAt,
    );
  }

  revoked(): Map<string, number> {
    return this.worker.revokes.revoked.entries();
  }

  revoke(taskIds: string[], terminate: boolean): string[] {
    return this.worker.revokes.add(taskIds, terminate);
  }

  findTask(name: string): RegisteredTask | undefined {
    return this.worker.registry.find(name);
  }

  tasks(): RegisteredTask[] {
    return this.worker.registry.tasks();
  }

  totals(): Record<string, number> {
    return Object.fromEntries(this.worker.finishedByName);
  }

  async setConcurrency(concurrency: number): Promise<void> {
    const slots = Math.max(1, Math.floor(concurrency));
    this.logger.log(`Concurrency is now ${slots}`);
    // With every task in child processes, pool_grow / pool_shrink resize the pool too.
    const pool = this.worker.wholePool;
    if (pool)
      pool.runner.resize(Math.max(1, Math.ceil(slots / pool.childConcurrency)));
    await this.worker.resize(slots);
  }

  queues(): readonly string[] {
    return this.worker.queues();
  }

  async addQueue(queue: string): Promise<void> {
    const consumers = this.worker.consumers();
    if (!consumers) return;
    await consumers.add(queue);
    this.logger.log(`Consuming ${queue} too (add_consumer)`);
  }

  async cancelQueue(queue: string): Promise<void> {
    const consumers = this.worker.consumers();
    if (!consumers) return;
    await consumers.cancel(queue);
    this.logger.log(`No longer consuming ${queue} (cancel_consumer)`);
  }

  events(): EventSwitch | null {
    return this.worker.events();
  }

  shutdown(reason: string): void {
    this.worker.shutdown(reason);
  }
}

/** The readable requests among deliveries not started (undecodable ones are left out). */
function requestsInHand(
  deliveries: readonly Delivery[],
  releaseAt: (delivery: Delivery) => number | undefined,
): RequestInHand[] {
  const found: RequestInHand[] = [];
  for (const delivery of deliveries) {
    const decoded = decodeDelivery(delivery);
    if (!decoded.ok) continue;
    found.push({
      request: decoded.request,
      queue: delivery.queue,
      redelivered: delivery.redelivered,
      startedAt: null,
      acknowledged: false,
      releaseAt: releaseAt(delivery),
    });
  }
  return found;
}
