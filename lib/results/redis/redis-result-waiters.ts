import type Redis from 'ioredis';
import { ResultMeta, isReady, parseJson } from '../../protocol';

interface Waiter {
  onUpdate?: (meta: ResultMeta) => void;
  finish: (meta: ResultMeta | undefined) => void;
}

/**
 * Every `waitForReady` of one backend shares one subscriber connection: the first
 * waiter on a key SUBSCRIBEs to it (the channel Celery PUBLISHes on), the last one
 * leaving UNSUBSCRIBEs. After subscribing, one GET closes the race with a result
 * stored just before. Nothing polls.
 */
export class RedisResultWaiters {
  private subscriber: Redis | undefined;
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly subscriptions = new Map<string, Promise<unknown>>();

  constructor(
    private readonly createSubscriber: () => Redis,
    private readonly read: (key: string) => Promise<ResultMeta | undefined>,
  ) {}

  wait(
    key: string,
    timeoutMs: number,
    onUpdate?: (meta: ResultMeta) => void,
  ): Promise<ResultMeta | undefined> {
    return new Promise((resolve) => {
      let done = false;
      const waiter: Waiter = {
        onUpdate,
        finish: (meta) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          this.remove(key, waiter);
          resolve(meta);
        },
      };
      const timer = setTimeout(() => waiter.finish(undefined), timeoutMs);
      this.add(key, waiter);
      void this.subscriptions
        .get(key)
        ?.then(() => this.read(key))
        .then((meta) => {
          if (meta && isReady(meta.status)) waiter.finish(meta);
        })
        .catch(() => undefined); // the notification or the timeout settles it
    });
  }

  /** Number of keys subscribed to now (tests, metrics). */
  get subscribedKeys(): number {
    return this.waiters.size;
  }

  /** Resolves every pending wait with undefined and closes the subscriber. */
  close(): void {
    for (const waiters of [...this.waiters.values()]) {
      for (const waiter of [...waiters]) waiter.finish(undefined);
    }
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }

  private add(key: string, waiter: Waiter): void {
    let waiters = this.waiters.get(key);
    if (!waiters) {
      waiters = new Set();
      this.waiters.set(key, waiters);
      this.subscriptions.set(key, this.connection().subscribe(key));
    }
    waiters.add(waiter);
  }

  private remove(key: string, waiter: Waiter): void {
    const waiters = this.waiters.get(key);
    if (!waiters?.delete(waiter) || waiters.size > 0) return;
    this.waiters.delete(key);
    this.subscriptions.delete(key);
    void this.subscriber?.unsubscribe(key).catch(() => undefined);
  }

  private connection(): Redis {
    if (this.subscriber) return this.subscriber;
    const subscriber = this.createSubscriber();
    subscriber.on('message', (channel: string, text: string) =>
      this.onMessage(channel, text),
    );
    // ioredis resubscribes after a reconnect; what was stored meanwhile is read again.
    subscriber.on('ready', () => {
      for (const key of this.waiters.keys()) void this.recheck(key);
    });
    this.subscriber = subscriber;
    return subscriber;
  }

  private onMessage(channel: string, text: string): void {
    const waiters = this.waiters.get(channel);
    if (!waiters) return;
    let meta: ResultMeta;
    try {
      meta = parseJson(text) as ResultMeta;
    } catch {
      return;
    }
    for (const waiter of [...waiters]) {
      waiter.onUpdate?.(meta);
      if (isReady(meta.status)) waiter.finish(meta);
    }
  }

  private async recheck(key: string): Promise<void> {
    const meta = await this.read(key).catch(() => undefined);
    if (!meta || !isReady(meta.status)) return;
    for (const waiter of [...(this.waiters.get(key) ?? [])])
      waiter.finish(meta);
  }
}
