import { EventEmitter } from 'node:events';
import { TaskMessage } from '../../protocol';

/** A message kept by the memory broker, serialized as a real broker would keep it. */
export interface StoredMessage {
  tag: number;
  queue: string;
  priority: number;
  serialized: string;
  redelivered: boolean;
}

export interface MemoryDeadLetter {
  queue: string;
  reason: string;
  /** The message as the broker kept it (JSON of the TaskMessage). */
  raw: string;
  at: Date;
}

/** Bucket count: priorities 0..9, 0 first (as on Redis; see docs/priorities.md). */
const PRIORITY_LEVELS = 10;

/**
 * The state of one in-memory broker, shared by every transport in the process that
 * names it (`memory://` is the default broker; `memory://other` another one).
 * It keeps queues, delayed messages and dead letters; transports only talk to it.
 */
export class MemoryBroker {
  private static readonly brokers = new Map<string, MemoryBroker>();
  private readonly queues = new Map<string, StoredMessage[][]>();
  private readonly dead: MemoryDeadLetter[] = [];
  /** Control messages (Celery's pidbox broadcast), as JSON text. */
  readonly control = new EventEmitter().setMaxListeners(0);
  /** Monitoring events (Celery's `celeryev` exchange): each message's body as JSON text. */
  readonly events = new EventEmitter().setMaxListeners(0);
  /** Node names with a live control subscription: a name is held by one subscriber. */
  readonly controlNodes = new Set<string>();
  private readonly delayTimers = new Set<NodeJS.Timeout>();
  /** Delayed messages per queue, not yet due. */
  private readonly delayedCounts = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private nextTag = 1;

  static named(name: string): MemoryBroker {
    let broker = this.brokers.get(name);
    if (!broker) {
      broker = new MemoryBroker();
      this.brokers.set(name, broker);
    }
    return broker;
  }

  enqueue(queue: string, message: TaskMessage, redelivered = false): void {
    this.push({
      tag: this.nextTag++,
      queue,
      priority: clampPriority(message.properties?.priority),
      serialized: JSON.stringify(message),
      redelivered,
    });
  }

  /** Enqueues a message kept as JSON text (a replayed dead letter, as it was). */
  enqueueRaw(queue: string, serialized: string): void {
    let priority: unknown;
    try {
      priority = (JSON.parse(serialized) as TaskMessage).properties?.priority;
    } catch {
      priority = 0;
    }
    this.push({
      tag: this.nextTag++,
      queue,
      priority: clampPriority(priority),
      serialized,
      redelivered: false,
    });
  }

  /** Puts a stored message back where it came from, ahead of its priority level. */
  restore(stored: StoredMessage): void {
    this.bucketsOf(stored.queue)[stored.priority].unshift({
      ...stored,
      redelivered: true,
    });
    this.notify();
  }

  /** Keeps the message out of sight until `until`, then enqueues it. */
  delay(queue: string, message: TaskMessage, until: Date): void {
    const timer = setTimeout(
      () => {
        this.delayTimers.delete(timer);
        this.countDelayed(queue, -1);
        this.enqueue(queue, message);
      },
      Math.max(0, until.getTime() - Date.now()),
    );
    timer.unref();
    this.delayTimers.add(timer);
    this.countDelayed(queue, 1);
  }

  /** Takes the next message from `queue`, highest priority first. */
  take(queue: string): StoredMessage | undefined {
    const buckets = this.queues.get(queue);
    if (!buckets) return undefined;
    for (const bucket of buckets) {
      if (bucket.length > 0) return bucket.shift();
    }
    return undefined;
  }

  size(queue: string): number {
    return (this.queues.get(queue) ?? []).reduce(
      (sum, bucket) => sum + bucket.length,
      0,
    );
  }

  /** Waiting messages of `queue` per priority level (levels with none left out), and delayed ones. */
  depth(queue: string): {
    byPriority: Record<number, number>;
    delayed: number;
  } {
    const byPriority: Record<number, number> = {};
    (this.queues.get(queue) ?? []).forEach((bucket, priority) => {
      if (bucket.length > 0) byPriority[priority] = bucket.length;
    });
    return { byPriority, delayed: this.delayedCounts.get(queue) ?? 0 };
  }

  /** Removes every waiting message of `queue`; returns how many. */
  purgeQueue(queue: string): number {
    const buckets = this.queues.get(queue) ?? [];
    const count = buckets.reduce((sum, bucket) => sum + bucket.length, 0);
    for (const bucket of buckets) bucket.length = 0;
    return count;
  }

  deadLetter(queue: string, raw: string, reason: string): void {
    this.dead.push({ queue, reason, raw, at: new Date() });
  }

  /** Dead letters kept so far, oldest first. */
  deadLetters(queue?: string): MemoryDeadLetter[] {
    return this.dead.filter(
      (letter) => queue === undefined || letter.queue === queue,
    );
  }
  /** Removes and returns up to `limit` dead letters of `queue`, oldest first. */
  takeDeadLetters(queue: string, limit: number): MemoryDeadLetter[] {
    const taken: MemoryDeadLetter[] = [];
    for (let i = 0; i < this.dead.length && taken.length < limit;) {
      if (this.dead[i].queue === queue) taken.push(...this.dead.splice(i, 1));
      else i++;
    }
    return taken;
  }

  /** Called whenever a message becomes available. */
  onAvailable(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Empties the broker (tests). */
  purge(): void {
    this.queues.clear();
    this.dead.length = 0;
    for (const timer of this.delayTimers) clearTimeout(timer);
    this.delayTimers.clear();
    this.delayedCounts.clear();
  }

  private countDelayed(queue: string, change: 1 | -1): void {
    const count = (this.delayedCounts.get(queue) ?? 0) + change;
    if (count > 0) this.delayedCounts.set(queue, count);
    else this.delayedCounts.delete(queue);
  }

  private push(stored: StoredMessage): void {
    this.bucketsOf(stored.queue)[stored.priority].push(stored);
    this.notify();
  }

  private bucketsOf(queue: string): StoredMessage[][] {
    let buckets = this.queues.get(queue);
    if (!buckets) {
      buckets = Array.from({ length: PRIORITY_LEVELS }, () => []);
      this.queues.set(queue, buckets);
    }
    return buckets;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

function clampPriority(priority: unknown): number {
  if (typeof priority !== 'number' || !Number.isFinite(priority)) return 0;
  return Math.min(PRIORITY_LEVELS - 1, Math.max(0, Math.round(priority)));
}
