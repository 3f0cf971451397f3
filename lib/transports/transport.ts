import { TaskMessage } from '../protocol';

/**
 * Moves task messages to queues and hands deliveries to a consumer. Every broker
 * (memory, Redis, AMQP) keeps this contract, so the client and the worker never
 * know which one they have (kombu's "channel" idea).
 *
 * Delivery is at least once: a delivery that is neither acked, requeued, deferred
 * nor dead-lettered (its consumer died) comes back, to this or another consumer.
 */
export interface Transport {
  /** 'memory' | 'redis' | 'amqp': for logs and errors. */
  readonly kind: string;

  /**
   * Resolves once the broker holds the message (AMQP: confirmed; Redis: written).
   * A message whose `eta` header is in the future either waits in the broker's delay
   * store and becomes visible on `queue` when due, even if every process restarts
   * meanwhile (AMQP's delay levels; Redis with `delayStore`), or goes on `queue` at
   * once with its `eta` header, as Celery sends it (Redis by default): its deliveries
   * then have `holdForEta`, and the consumer holds them until due.
   * Rejects with a clear error when the broker cannot take it; never drops silently.
   */
  publish(queue: string, message: TaskMessage): Promise<void>;

  /**
   * Starts delivering messages from `queues` to `onDelivery`, fairly across queues
   * (round-robin) and by priority within a queue. Never more than `options.prefetch`
   * deliveries are outstanding (delivered, not yet settled) at once; a transport that
   * implements `Delivery.doneRunning` may count those not yet run instead, and then
   * holds at most twice the prefetch unsettled.
   */
  consume(
    queues: readonly string[],
    onDelivery: (delivery: Delivery) => void,
    options: ConsumeOptions,
  ): Promise<Consumer>;

  /** Closes connections. Outstanding deliveries are left to the broker to redeliver. */
  close(): Promise<void>;
}

/** How `Transport.consume` delivers. */
export interface ConsumeOptions {
  /**
   * How many unsettled deliveries may be outstanding (with `doneRunning`: how many not
   * yet run); at least 1.
   */
  prefetch: number;
}

/** A running consumption, as `Transport.consume` resolves it. */
export interface Consumer {
  /** Stops fetching. Deliveries already handed over can still be settled. */
  stop(): Promise<void>;
}

/**
 * One message handed to a consumer. Settle it exactly once with one of the methods.
 */
export interface Delivery {
  /** The queue it was taken from. */
  readonly queue: string;
  /**
   * The message, or undefined when the broker's envelope could not be decoded
   * (then `decodeError` says why, and the only sensible settlement is `deadLetter`).
   * Read it before settling: a settled delivery may have let go of it (see
   * docs/architecture.md, "Letting go of what is done").
   */
  readonly message: TaskMessage | undefined;
  readonly decodeError?: Error;
  /** True when the broker handed this message out before (after a crash or a requeue). */
  readonly redelivered: boolean;

  /**
   * Optional. The task has returned; storing its result and settling are left. A
   * transport that keeps its own prefetch count (Redis) may stop counting the
   * delivery now; where the broker counts unacked messages (AMQP) there is no such hook.
   */
  doneRunning?(): void;
  /**
   * Present where eta messages wait on the queue itself (Celery's way: Redis without
   * the delay store). The worker then holds an early delivery, unsettled, until its
   * eta instead of deferring it, and calls this once: the transport stops counting it
   * against the prefetch (as Celery raises its prefetch for each eta task) and keeps it
   * from being redelivered while this process lives. Absent: `defer` it.
   */
  holdForEta?(): void;
  /** Done with it: the broker forgets it. */
  ack(): Promise<void>;
  /** Give it back untouched, to be delivered again (to any consumer). */
  requeue(): Promise<void>;
  /**
   * Take it out of the queue and keep it, with the reason, where it can be looked at
   * and replayed (never into a requeue loop).
   */
  deadLetter(reason: string): Promise<void>;
  /**
   * Move it to the delay store until `until` (an eta message from a peer that does
   * not use the delay store, such as Python Celery) and settle this delivery.
   */
  defer(until: Date): Promise<void>;
}

/** A dead letter as `listDeadLetters` reads it. */
export interface DeadLetter {
  /** The queue it was taken from (and goes back to on replay). */
  queue: string;
  /** Why it was dead-lettered: malformed, NotRegistered, or a task's final failure. */
  reason: string;
  /** When, if the broker kept it. */
  at: Date | null;
  /** The task message, unless its envelope did not decode (then `decodeError`). */
  message?: TaskMessage;
  decodeError?: Error;
  /** The message as the broker keeps it (Redis: the envelope; AMQP: the body), as text. */
  raw: string;
}

/**
 * Optional on a Transport: the dead-letter box, what `Delivery.deadLetter` kept. The
 * one dead-letter API: the `DeadLetters` service uses it when the transport has it.
 * memory, Redis (`_celeriac.dead.<queue>`) and AMQP (`<queue>.dead`) keep their dead
 * letters in a box of their own per queue; every verb works oldest first.
 * test/conformance/execution/dead-letters.ts holds each broker to it.
 */
export interface DeadLetterAccess {
  /** Up to `limit` dead letters of `queue`, oldest first, left where they are. */
  listDeadLetters(queue: string, limit?: number): Promise<DeadLetter[]>;
  /**
   * Moves up to `limit` dead letters (oldest first) back onto the queue they came from,
   * unchanged (same id, same headers); resolves with how many moved.
   */
  replayDeadLetters(queue: string, limit?: number): Promise<number>;
  /** Deletes up to `limit` dead letters (oldest first, all by default); resolves with how many. */
  dropDeadLetters(queue: string, limit?: number): Promise<number>;
  /** How many dead letters `queue` has. */
  countDeadLetters(queue: string): Promise<number>;
}

export function hasDeadLetterAccess(value: unknown): value is DeadLetterAccess {
  const candidate = value as Partial<DeadLetterAccess> | null;
  return (
    typeof candidate?.listDeadLetters === 'function' &&
    typeof candidate.replayDeadLetters === 'function' &&
    typeof candidate.dropDeadLetters === 'function' &&
    typeof candidate.countDeadLetters === 'function'
  );
}

/** How many messages wait in one queue, as the broker counts them. */
export interface QueueDepth {
  queue: string;
  /** Messages ready to be delivered (not taken by a consumer, not delayed). */
  ready: number;
  /**
   * `ready` split by priority where the broker keeps priorities apart: Redis by kombu's
   * buckets (0, 3, 6, 9), memory by level (0-9). Absent on AMQP, whose passive declare
   * gives one count.
   */
  byPriority?: Readonly<Record<number, number>>;
  /** Messages in the delay store, due later (Redis, memory); absent where not counted. */
  delayed?: number;
  /** Consumers attached to the queue, where the broker says (AMQP). */
  consumers?: number;
}

/**
 * Optional on a Transport: reading what waits in a queue without taking it, with one
 * cheap call to the broker (Redis: one pipeline of LLEN and ZCARD; AMQP: one passive
 * declare; memory: a count). Metrics sample it; queue administration reads it too.
 * A queue that does not exist reads as empty.
 */
export interface QueueInspection {
  queueDepth(queue: string): Promise<QueueDepth>;
}

export function hasQueueInspection(value: unknown): value is QueueInspection {
  return (
    typeof (value as Partial<QueueInspection> | null)?.queueDepth === 'function'
  );
}

/**
 * Optional on a Transport: emptying a queue, as `celery purge` does. Removes the
 * messages waiting in `queue` (not those a consumer holds unsettled, which come back or
 * settle as usual) and resolves with how many it removed, counted and removed in one
 * atomic step. Redis: kombu's four priority lists and Celeriac's delay store of the
 * queue (MULTI of LLEN/ZCARD and DEL); AMQP: `queue.purge` (messages in the shared delay
 * levels are not the queue's yet and stay); memory: the waiting messages. A queue that
 * does not exist purges as 0.
 */
export interface QueuePurge {
  purgeQueue(queue: string): Promise<number>;
}

export function hasQueuePurge(value: unknown): value is QueuePurge {
  return (
    typeof (value as Partial<QueuePurge> | null)?.purgeQueue === 'function'
  );
}

/**
 * Optional on a Transport: the state of its connection to the broker, read without a
 * round trip, for health checks and metrics. Memory is always connected.
 */
export interface ConnectionState {
  /** True while the connection the transport publishes on is up. */
  readonly connected: boolean;
  /** Calls `listener` each time the connection is back after a loss; returns its remover. */
  onReconnect(listener: () => void): () => void;
}

export function hasConnectionState(value: unknown): value is ConnectionState {
  const candidate = value as Partial<ConnectionState> | null;
  return (
    typeof candidate?.connected === 'boolean' &&
    typeof candidate.onReconnect === 'function'
  );
}
