import { connect } from 'amqplib';
import type { Channel, ChannelModel } from 'amqplib';
import { randomUUID } from 'node:crypto';

/**
 * The producer's side of `rpc://`, the same for every system: an exclusive reply queue
 * named in each task's `reply_to`, where the worker publishes the task's state with the
 * task id as `correlation_id` (Celery's rpc backend, Celeriac's, and the bare worker).
 * Records when each reply arrived.
 */
export class ReplyCollector {
  readonly queue = `bench.reply.${randomUUID()}`;
  readonly arrivals = new Map<string, number>();
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly model: ChannelModel,
    private readonly channel: Channel,
  ) {}

  static async open(url: string): Promise<ReplyCollector> {
    const model = await connect(url);
    const channel = await model.createChannel();
    const collector = new ReplyCollector(model, channel);
    await channel.assertQueue(collector.queue, {
      exclusive: true,
      autoDelete: true,
      durable: false,
    });
    await channel.consume(
      collector.queue,
      (message) => {
        if (!message) return;
        const id = String(message.properties.correlationId);
        if (!collector.arrivals.has(id))
          collector.arrivals.set(id, performance.now());
        if (collector.waiters.length > 0) collector.notify();
      },
      { noAck: true },
    );
    return collector;
  }

  /** Forgets what arrived (between runs). */
  reset(): void {
    this.arrivals.clear();
  }

  /** Resolves once `count` replies arrived; rejects after `timeoutMs`. */
  async waitFor(count: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.arrivals.size < count) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `only ${this.arrivals.size} of ${count} replies within ${timeoutMs} ms`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 1_000));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.push(done);
      });
    }
  }

  /** Waits for `count` replies or `timeoutMs`, whichever first; resolves with how many came. */
  async settle(count: number, timeoutMs: number): Promise<number> {
    await this.waitFor(count, timeoutMs).catch(() => undefined);
    return this.arrivals.size;
  }

  /** First and last arrival (performance.now() ms). */
  span(): { first: number; last: number } {
    const times = [...this.arrivals.values()];
    return { first: Math.min(...times), last: Math.max(...times) };
  }

  async close(): Promise<void> {
    await this.model.close().catch(() => undefined);
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}
