import { Consumer, Delivery, Transport } from '../transports/transport';

/**
 * The worker's consumer of its queues, changed at run time by `add_consumer`,
 * `cancel_consumer` and a new concurrency: each change stops the consumer and starts
 * one on the new queue list with the new prefetch (Transport.consume's contract holds
 * for every broker, so no broker needs more). Deliveries already handed over stay the
 * worker's to settle; what the old consumer had fetched and not handed over goes back.
 * Changes run one after another.
 */
export class QueueConsumers {
  private consumer: Consumer | null = null;
  private current: string[];
  private changes: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly transport: Transport,
    queues: readonly string[],
    private prefetch: number,
    private readonly onDelivery: (delivery: Delivery) => void,
  ) {
    this.current = [...queues];
  }

  get queues(): readonly string[] {
    return this.current;
  }

  get prefetchCount(): number {
    return this.prefetch;
  }

  async start(): Promise<void> {
    this.consumer = await this.transport.consume(
      this.current,
      this.onDelivery,
      { prefetch: this.prefetch },
    );
  }

  /** Consumes `queue` too (nothing when it already does). */
  add(queue: string): Promise<void> {
    if (this.current.includes(queue)) return this.changes;
    return this.change(() => this.current.push(queue));
  }

  /** Stops consuming `queue` (nothing when it does not). */
  cancel(queue: string): Promise<void> {
    if (!this.current.includes(queue)) return this.changes;
    return this.change(() => {
      this.current = this.current.filter((each) => each !== queue);
    });
  }

  setPrefetch(prefetch: number): Promise<void> {
    return this.change(() => (this.prefetch = Math.max(1, prefetch)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.changes;
    await this.consumer?.stop();
    this.consumer = null;
  }

  private change(apply: () => void): Promise<void> {
    apply();
    const next = this.changes.then(async () => {
      if (this.stopped) return;
      await this.consumer?.stop();
      this.consumer = null;
      if (this.stopped || this.current.length === 0) return;
      this.consumer = await this.transport.consume(
        this.current,
        this.onDelivery,
        { prefetch: this.prefetch },
      );
    });
    this.changes = next.catch(() => undefined);
    return next;
  }
}
