import { TaskMessage, parseCeleryIso } from '../../protocol';
import { ConsumeOptions, Consumer, Delivery, Transport } from '../transport';
import { MemoryBroker, StoredMessage } from './memory-broker';

/**
 * The in-process transport (`memory://[name]`): the embedded default and the one for
 * tests. It keeps the full contract (prefetch, round-robin, priorities, requeue,
 * delays, dead letters), so code that works on it works on Redis and AMQP.
 * Closing the transport gives its unsettled deliveries back, as a lost connection would.
 */
export class MemoryTransport implements Transport {
  readonly kind = 'memory';
  private readonly consumers = new Set<MemoryConsumer>();
  private closed = false;

  constructor(readonly broker: MemoryBroker = MemoryBroker.named('default')) {}

  static fromUrl(url: string): MemoryTransport {
    const name = url.replace(/^memory:\/\//, '') || 'default';
    return new MemoryTransport(MemoryBroker.named(name));
  }

  async publish(queue: string, message: TaskMessage): Promise<void> {
    if (this.closed)
      throw new Error('memory transport is closed: cannot publish');
    const eta = message.headers?.eta
      ? parseCeleryIso(message.headers.eta)
      : null;
    if (eta && eta.getTime() > Date.now()) {
      this.broker.delay(queue, message, eta);
    } else {
      this.broker.enqueue(queue, message);
    }
  }

  async consume(
    queues: readonly string[],
    onDelivery: (delivery: Delivery) => void,
    options: ConsumeOptions,
  ): Promise<Consumer> {
    if (this.closed)
      throw new Error('memory transport is closed: cannot consume');
    const consumer = new MemoryConsumer(
      this.broker,
      [...queues],
      onDelivery,
      options.prefetch,
    );
    this.consumers.add(consumer);
    consumer.start();
    return {
      stop: async () => {
        consumer.stop();
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const consumer of this.consumers) consumer.abandon();
    this.consumers.clear();
  }
}

class MemoryConsumer {
  private readonly unsettled = new Map<number, StoredMessage>();
  private cursor = 0;
  private stopped = false;
  private unsubscribe: () => void = () => undefined;
  private pumping = false;

  constructor(
    private readonly broker: MemoryBroker,
    private readonly queues: string[],
    private readonly onDelivery: (delivery: Delivery) => void,
    private readonly prefetch: number,
  ) {}

  start(): void {
    this.unsubscribe = this.broker.onAvailable(() => this.schedulePump());
    this.schedulePump();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
  }

  /** The connection is gone: what was not settled goes back to the broker. */
  abandon(): void {
    this.stop();
    for (const stored of this.unsettled.values()) this.broker.restore(stored);
    this.unsettled.clear();
  }

  private schedulePump(): void {
    if (this.pumping || this.stopped) return;
    this.pumping = true;
    setImmediate(() => {
      this.pumping = false;
      this.pump();
    });
  }

  private pump(): void {
    while (!this.stopped && this.unsettled.size < Math.max(1, this.prefetch)) {
      const stored = this.takeRoundRobin();
      if (!stored) return;
      this.unsettled.set(stored.tag, stored);
      this.onDelivery(this.deliveryFor(stored));
    }
  }

  /** One message from the next queue in turn that has one (Celery's round-robin). */
  private takeRoundRobin(): StoredMessage | undefined {
    for (let i = 0; i < this.queues.length; i++) {
      const index = (this.cursor + i) % this.queues.length;
      const stored = this.broker.take(this.queues[index]);
      if (stored) {
        this.cursor = index + 1;
        return stored;
      }
    }
    return undefined;
  }

  private deliveryFor(stored: StoredMessage): Delivery {
    let message: TaskMessage | undefined;
    let decodeError: Error | undefined;
    try {
      message = JSON.parse(stored.serialized) as TaskMessage;
    } catch (error) {
      decodeError = error as Error;
    }
    const settle = (then: () => void) => async () => {
      if (!this.unsettled.delete(stored.tag)) return; // settled already, or given back
      then();
      this.schedulePump();
    };
    return {
      queue: stored.queue,
      message,
      decodeError,
      redelivered: stored.redelivered,
      ack: settle(() => undefined),
      requeue: settle(() => this.broker.restore(stored)),
      deadLetter: (reason: string) =>
        settle(() =>
          this.broker.deadLetter(stored.queue, stored.serialized, reason),
        )(),
      defer: (until: Date) =>
        settle(() => {
          if (message) this.broker.delay(stored.queue, message, until);
        })(),
    };
  }
}
