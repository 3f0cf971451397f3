import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { Delivery } from '../transport';
import { decodeEnvelope } from './envelope';
import { RedisKeys } from './keys';
import { fetchScript } from '../../drivers/redis/scripts';
import { PrefetchPlaces, RedisDelivery } from './redis-delivery';
import { RedisSettler } from './redis-settler';
import { ResolvedRedisTransportOptions } from './redis-transport-options';
import { refusalOf } from '../../drivers/redis/refusal';
import { dropConnection } from '../../drivers/redis/close-connection';

/** Due messages moved from a delay store per fetch and queue. */
const MOVE_LIMIT = 1000;
/** setTimeout's ceiling is ~24.8 days; the idle poll re-arms long before anyway. */
const MAX_TIMER_MS = 3_600_000;
/** Deliveries handed over per turn of the event loop (see handOver). */
const HANDOVER_CHUNK = 25;

export interface ConsumerContext {
  client: Redis;
  keys: RedisKeys;
  options: ResolvedRedisTransportOptions;
  settler: RedisSettler;
  /** A dedicated connection for the blocking wait. */
  createBlocker(): Redis;
  /** False where eta messages wait on the queue: its deliveries then have `holdForEta`. */
  usesDelayStore(queue: string): boolean;
}

/**
 * The fetch loop of one `consume()` call. It takes up to the free prefetch in one
 * Lua call and fetches again as deliveries are done running (see `places`) or
 * settle. When the lists are empty it blocks (BZPOPMIN) on the queues' wake
 * markers, which publishers set when they find a list empty, with
 * `idlePollMs` as timeout for messages pushed by others, and sets a timer for the
 * next delayed message. Redis errors are logged and retried with backoff.
 */
export class RedisConsumer {
  /** Deliveries counted against the prefetch: held, less those freed early. */
  private outstanding = 0;
  /**
   * Deliveries whose task has run and whose places were freed before they settled
   * (see RedisDelivery.doneRunning); at most `prefetch` of them.
   */
  private settlingEarly = 0;
  private readonly places: PrefetchPlaces = {
    freeEarly: () => {
      if (this.settlingEarly >= this.prefetch) return false;
      this.settlingEarly++;
      this.release();
      return true;
    },
    free: (early) => {
      if (early) this.settlingEarly--;
      else this.release();
    },
    setAside: () => this.release(),
  };
  private cursor = 0;
  private stopped = false;
  private fetching: Promise<void> | undefined;
  /** Set while backing off after a Redis error. */
  private retrying = false;
  private maybeMore = true;
  /** Bumped by every wake-up, so a fetch that raced one does not go idle. */
  private signals = 0;
  private waiting = false;
  private blocker: Redis | undefined;
  private dueTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private readonly keysByRotation: string[][];
  private readonly namesByRotation: string[][];
  private readonly wakeKeys: string[];

  constructor(
    private readonly context: ConsumerContext,
    private readonly queues: readonly string[],
    private readonly onDelivery: (delivery: Delivery) => void,
    private readonly prefetch: number,
  ) {
    const { keys } = context;
    const rotations = queues.map((_, start) =>
      queues.map((__, i) => queues[(start + i) % queues.length]),
    );
    this.keysByRotation = rotations.map((order) => [
      keys.unacked,
      keys.unackedIndex,
      keys.leases,
      ...order.flatMap((queue) => [
        ...keys.lists(queue),
        keys.delayed(queue),
        keys.wake(queue),
      ]),
    ]);
    this.namesByRotation = rotations.map((order) =>
      order.map((queue) => JSON.stringify(queue)),
    );
    this.wakeKeys = queues.map((queue) => keys.wake(queue));
  }

  start(): void {
    this.pump();
  }

  /** Stops fetching; what a fetch in flight brings back is given back at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.dueTimer);
    clearTimeout(this.retryTimer);
    if (this.blocker) await dropConnection(this.blocker);
    await this.fetching;
  }

  private signal(): void {
    this.signals++;
    this.maybeMore = true;
    this.pump();
  }

  private release(): void {
    this.outstanding--;
    this.pump();
  }

  private pump(): void {
    if (this.stopped || this.fetching || this.retrying) return;
    const free = this.prefetch - this.outstanding;
    if (free <= 0) return;
    if (!this.maybeMore) {
      this.waitForWork();
      return;
    }
    this.fetching = this.fetch(
      Math.min(free, this.context.options.fetchBatchSize),
    ).finally(() => {
      this.fetching = undefined;
      this.pump();
    });
  }

  private async fetch(count: number): Promise<void> {
    const { client, options, settler } = this.context;
    const seen = this.signals;
    const rotation = this.cursor;
    // One fresh prefix a fetch; the script numbers the tags under it.
    const tagPrefix = randomUUID();
    let reply: unknown[];
    try {
      reply = (await fetchScript.run(client, this.keysByRotation[rotation], [
        count,
        options.leaseMs,
        MOVE_LIMIT,
        ...this.namesByRotation[rotation],
        tagPrefix,
      ])) as unknown[];
    } catch (error) {
      this.retryLater(error);
      return;
    }
    if (this.failures > 0) {
      options.logger.warn(
        `redis transport: consumer of ${this.describe()} resumed`,
      );
      this.failures = 0;
    }
    const n = this.queues.length;
    const last = Number(reply[0]);
    if (last >= 0) this.cursor = (rotation + last + 1) % n;
    if (this.stopped) {
      const taken: string[] = [];
      for (let i = 3; i < reply.length; i += 3)
        taken.push(String(reply[i + 1]));
      await settler
        .giveBack(taken)
        .catch((error: unknown) =>
          options.logger.warn(
            `redis transport: could not give back ${taken.length} deliveries after stop (${String(error)}); they return after the lease`,
          ),
        );
      return;
    }
    const deliveries: RedisDelivery[] = [];
    for (let i = 3; i < reply.length; i += 3) {
      const queue = this.queues[(rotation + Number(reply[i])) % n];
      const raw = String(reply[i + 2]);
      const delivery = new RedisDelivery(
        queue,
        String(reply[i + 1]),
        raw,
        decodeEnvelope(raw),
        settler,
        this.places,
        !this.context.usesDelayStore(queue),
      );
      settler.hold(delivery);
      this.outstanding++;
      deliveries.push(delivery);
    }
    this.handOver(deliveries, 0);
    this.scheduleDue(Number(reply[2]), Number(reply[1]));
    const got = (reply.length - 3) / 3;
    if (got < count && this.signals === seen) this.maybeMore = false;
    // A reply's array stays reachable for a while after its promise settled (from
    // ioredis's side; what holds it was not found), long enough for every envelope in
    // it to be promoted to the old generation, which then grew until a full GC. A bare
    // ioredis loop of LRANGE 200 shows it: 8.1 KB promoted a call, 0.7 KB when each
    // reply is emptied after use. Emptied, an envelope lives as its delivery does.
    reply.length = 0;
  }

  /**
   * Hands deliveries to the consumer a chunk per turn of the event loop, so that what
   * the first chunk writes (results, acks) goes to Redis while the next is handled:
   * Redis and this process then work at the same time instead of taking turns.
   */
  private handOver(deliveries: RedisDelivery[], from: number): void {
    const end = Math.min(deliveries.length, from + HANDOVER_CHUNK);
    for (let i = from; i < end; i++) {
      try {
        this.onDelivery(deliveries[i]);
      } catch (error) {
        this.context.options.logger.error(
          `redis transport: onDelivery threw: ${String(error)}`,
        );
      }
    }
    if (end < deliveries.length)
      setImmediate(() => this.handOver(deliveries, end));
  }

  /** Wakes the loop when the earliest delayed message is due (server clock). */
  private scheduleDue(nextDue: number, serverNow: number): void {
    clearTimeout(this.dueTimer);
    this.dueTimer = undefined;
    if (nextDue < 0 || this.stopped) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, nextDue - serverNow));
    this.dueTimer = setTimeout(() => {
      this.dueTimer = undefined;
      this.signal();
    }, delay);
    this.dueTimer.unref();
  }

  private waitForWork(): void {
    if (this.waiting || this.stopped) return;
    this.waiting = true;
    this.blocker ??= this.context.createBlocker();
    this.blocker
      .bzpopmin(...this.wakeKeys, this.context.options.idlePollMs / 1000)
      .then(
        () => {
          this.waiting = false;
          this.signal();
        },
        (error: unknown) => {
          this.waiting = false;
          if (!this.stopped) this.retryLater(error);
        },
      );
  }

  private retryLater(error: unknown): void {
    if (this.stopped) return;
    const refusal =
      refusalOf(this.context.client) ??
      (this.blocker && refusalOf(this.blocker));
    if (refusal) {
      // A configuration error: fetching again would only fail again.
      this.stopped = true;
      this.context.options.logger.error(
        `redis transport: consumer of ${this.describe()} stopped: ${refusal.message}`,
      );
      return;
    }
    this.failures++;
    const delay = Math.min(2000, 25 * 2 ** Math.min(this.failures, 7));
    if (this.failures === 1 || this.failures % 20 === 0) {
      this.context.options.logger.warn(
        `redis transport: consumer of ${this.describe()} failed (${String(error)}); retrying`,
      );
    }
    this.retrying = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retrying = false;
      this.signal();
    }, delay);
    this.retryTimer.unref();
  }

  private describe(): string {
    return this.queues.map((queue) => JSON.stringify(queue)).join(', ');
  }
}
