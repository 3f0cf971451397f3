import { randomUUID } from 'node:crypto';
import { TaskMessage, parseCeleryIso } from '../../protocol';
import {
  CallControlOptions,
  ControlBus,
  ControlMessage,
  ControlReply,
  ControlReplyTo,
  ControlSubscription,
  SubscribeControlOptions,
} from '../control-bus';
import {
  EventBus,
  EventDelivery,
  EventList,
  EventMessage,
  EventSubscription,
  jsonEventListBytes,
  openJsonEventList,
} from '../event-bus';
import { NodeNameInUseError } from '../errors';
import {
  REPLY_EXCHANGE,
  ReplyCollector,
  newReplyQueue,
} from '../reply-collector';
import {
  ConnectionState,
  ConsumeOptions,
  Consumer,
  DeadLetter,
  DeadLetterAccess,
  Delivery,
  QueueDepth,
  QueueInspection,
  QueuePurge,
  Transport,
} from '../transport';
import { MemoryBroker, StoredMessage } from './memory-broker';

/**
 * The in-process transport (`memory://[name]`): the embedded default and the one for
 * tests. It keeps the full contract (prefetch, round-robin, priorities, requeue,
 * delays, dead letters), so code that works on it works on Redis and AMQP.
 * Closing the transport gives its unsettled deliveries back, as a lost connection would.
 */
export class MemoryTransport
  implements
    Transport,
    ControlBus,
    EventBus,
    DeadLetterAccess,
    QueueInspection,
    QueuePurge,
    ConnectionState
{
  readonly kind = 'memory';
  private readonly consumers = new Set<MemoryConsumer>();
  private readonly subscriptions = new Set<() => void>();
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

  /** In the process: connected until closed, and never lost. */
  get connected(): boolean {
    return !this.closed;
  }

  onReconnect(): () => void {
    return () => undefined;
  }

  async queueDepth(queue: string): Promise<QueueDepth> {
    const { byPriority, delayed } = this.broker.depth(queue);
    const ready = Object.values(byPriority).reduce((sum, n) => sum + n, 0);
    return { queue, ready, byPriority, delayed };
  }

  /** QueuePurge: the waiting messages (delayed ones are timers, and stay). */
  async purgeQueue(queue: string): Promise<number> {
    return Promise.resolve(this.broker.purgeQueue(queue));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const consumer of this.consumers) consumer.abandon();
    this.consumers.clear();
    for (const unsubscribe of this.subscriptions) unsubscribe();
    this.subscriptions.clear();
  }

  /** Every transport on this broker hears each body, asynchronously, as JSON. */
  async publishEvents(messages: readonly EventMessage[]): Promise<void> {
    if (this.closed) return;
    for (const message of messages)
      this.broker.events.emit('message', JSON.stringify(message.body));
  }

  openEventList(): EventList {
    return openJsonEventList();
  }

  async publishEventLists(lists: readonly EventList[]): Promise<void> {
    if (this.closed) return;
    for (const list of lists)
      this.broker.events.emit('message', jsonEventListBytes(list).toString());
  }

  async subscribeEvents(
    handler: (delivery: EventDelivery) => void,
  ): Promise<EventSubscription> {
    if (this.closed)
      throw new Error('memory transport is closed: cannot subscribe');
    const listener = (text: string) =>
      setImmediate(() => handler({ ok: true, body: JSON.parse(text) }));
    this.broker.events.on('message', listener);
    const unsubscribe = () => {
      this.broker.events.off('message', listener);
      this.subscriptions.delete(unsubscribe);
    };
    this.subscriptions.add(unsubscribe);
    return { close: async () => unsubscribe() };
  }

  /** Every transport on this broker hears it, asynchronously, as JSON (like a real one). */
  async broadcastControl(message: ControlMessage): Promise<void> {
    if (this.closed)
      throw new Error('memory transport is closed: cannot broadcast');
    this.broker.control.emit('message', JSON.stringify(message));
  }

  async subscribeControl(
    handler: (message: ControlMessage) => void,
    options: SubscribeControlOptions = {},
  ): Promise<ControlSubscription> {
    if (this.closed)
      throw new Error('memory transport is closed: cannot subscribe');
    const { node } = options;
    if (node !== undefined) {
      if (this.broker.controlNodes.has(node))
        throw new NodeNameInUseError(node);
      this.broker.controlNodes.add(node);
    }
    const listener = (text: string) =>
      setImmediate(() => handler(JSON.parse(text) as ControlMessage));
    this.broker.control.on('message', listener);
    const unsubscribe = () => {
      this.broker.control.off('message', listener);
      if (node !== undefined) this.broker.controlNodes.delete(node);
      this.subscriptions.delete(unsubscribe);
    };
    this.subscriptions.add(unsubscribe);
    return { close: async () => unsubscribe() };
  }

  /** Emitted as `reply:<routing key>` on the broker's control emitter. */
  async replyControl(
    replyTo: ControlReplyTo,
    ticket: string | undefined,
    reply: ControlReply,
  ): Promise<void> {
    if (this.closed) return;
    this.broker.control.emit(
      `reply:${replyTo.routing_key}`,
      JSON.stringify(reply),
      ticket,
    );
  }

  async callControl(
    message: ControlMessage,
    options: CallControlOptions,
  ): Promise<ControlReply[]> {
    const { oid } = newReplyQueue();
    const collector = new ReplyCollector(randomUUID(), options);
    const event = `reply:${oid}`;
    const listener = (text: string, ticket: string | undefined) =>
      collector.add(JSON.parse(text), ticket);
    this.broker.control.on(event, listener);
    try {
      await this.broadcastControl({
        ...message,
        ticket: collector.ticket,
        reply_to: { exchange: REPLY_EXCHANGE, routing_key: oid },
      });
      collector.start();
      return await collector.done;
    } finally {
      this.broker.control.off(event, listener);
    }
  }

  async listDeadLetters(queue: string, limit = 100): Promise<DeadLetter[]> {
    return this.broker
      .deadLetters(queue)
      .slice(0, limit)
      .map((letter) => {
        const dead: DeadLetter = {
          queue: letter.queue,
          reason: letter.reason,
          at: letter.at,
          raw: letter.raw,
        };
        try {
          dead.message = JSON.parse(letter.raw) as TaskMessage;
        } catch (error) {
          dead.decodeError = error as Error;
        }
        return dead;
      });
  }

  async replayDeadLetters(
    queue: string,
    limit = Number.POSITIVE_INFINITY,
  ): Promise<number> {
    if (this.closed)
      throw new Error('memory transport is closed: cannot replay');
    const letters = this.broker.takeDeadLetters(queue, limit);
    for (const letter of letters) this.broker.enqueueRaw(queue, letter.raw);
    return letters.length;
  }

  async dropDeadLetters(
    queue: string,
    limit = Number.POSITIVE_INFINITY,
  ): Promise<number> {
    return this.broker.takeDeadLetters(queue, limit).length;
  }

  async countDeadLetters(queue: string): Promise<number> {
    return this.broker.deadLetters(queue).length;
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
      delivery.message = undefined; // as the brokers' deliveries do (Delivery.message)
      this.schedulePump();
    };
    const delivery: Delivery & { message: TaskMessage | undefined } = {
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
          if (delivery.message)
            this.broker.delay(stored.queue, delivery.message, until);
        })(),
    };
    return delivery;
  }
}
