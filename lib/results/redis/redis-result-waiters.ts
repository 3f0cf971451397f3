import type Redis from 'ioredis';
import { ResultMeta, parseJson } from '../../protocol';
import { ResultWaiters } from '../result-waiters';

/**
 * Every `waitForReady` of one backend shares one subscriber connection: the first
 * waiter on a key SUBSCRIBEs to it (the channel Celery PUBLISHes on), the last one
 * leaving UNSUBSCRIBEs. After subscribing, one GET closes the race with a result
 * stored just before. Nothing polls.
 */
export class RedisResultWaiters {
  private subscriber: Redis | undefined;
  private readonly subscriptions = new Map<string, Promise<unknown>>();
  private readonly waiters = new ResultWaiters({
    onAdded: (key, first) => {
      if (first) this.subscriptions.set(key, this.connection().subscribe(key));
    },
    onEmptied: (key) => {
      this.subscriptions.delete(key);
      void this.subscriber?.unsubscribe(key).catch(() => undefined);
    },
    updates: 'every',
  });

  constructor(
    private readonly createSubscriber: () => Redis,
    private readonly read: (key: string) => Promise<ResultMeta | undefined>,
  ) {}

  wait(
    key: string,
    timeoutMs: number,
    onUpdate?: (meta: ResultMeta) => void,
  ): Promise<ResultMeta | undefined> {
    const ready = this.waiters.wait(key, timeoutMs, onUpdate);
    void this.subscriptions
      .get(key)
      ?.then(() => this.read(key))
      .then((meta) => this.waiters.finishIfReady(key, meta))
      .catch(() => undefined); // the notification or the timeout settles it
    return ready;
  }

  /** Number of keys subscribed to now (tests, metrics). */
  get subscribedKeys(): number {
    return this.waiters.size;
  }

  /** Resolves every pending wait with undefined and closes the subscriber. */
  close(): void {
    this.waiters.close();
    this.subscriber?.disconnect();
    this.subscriber = undefined;
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
    let meta: ResultMeta;
    try {
      meta = parseJson(text) as ResultMeta;
    } catch {
      return;
    }
    this.waiters.deliver(channel, meta);
  }

  private async recheck(key: string): Promise<void> {
    const meta = await this.read(key).catch(() => undefined);
    this.waiters.finishIfReady(key, meta);
  }
}
