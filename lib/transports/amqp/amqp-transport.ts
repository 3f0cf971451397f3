import type { Message, Options } from 'amqplib';
import {
  RABBITMQ_MAX_MESSAGE_BYTES,
  checkSize,
  describeTask,
  sizeLimitOption,
} from '../message-size';
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
  ConnectionState,
  ConsumeOptions,
  Consumer,
  Delivery,
  QueueDepth,
  QueueInspection,
  QueuePurge,
  Transport,
} from '../transport';
import { ConnectionCheck } from '../connection-check';
import { AmqpConnection } from '../../drivers/amqp/amqp-connection';
import { AmqpControlBus } from './amqp-control-bus';
import { AmqpEventBus } from './amqp-event-bus';
import {
  EventBus,
  EventDelivery,
  EventList,
  EventMessage,
  EventSubscription,
  openJsonEventList,
} from '../event-bus';
import { AmqpConsumer } from './amqp-consumer';
import { AmqpDeclarer } from './amqp-declarer';
import {
  AmqpLogger,
  DEFAULT_PUBLISH_TIMEOUT_MS,
  consoleLogger,
} from '../../drivers/amqp/connection-options';
import {
  AmqpTransportOptions,
  DEFAULT_DELAY_PREFIX,
  defaultDeadLetterQueue,
} from './amqp-options';
import { ConfirmPublisher } from '../../drivers/amqp/confirm-publisher';
import { withChannel } from '../../drivers/amqp/with-channel';
import { AmqpDeadLetter, DeadLetterBox } from './dead-letter-box';
import { delayEntryExchange, delayRoutingKey } from './delay-scheme';
import {
  celeryDelayEntryExchange,
  celeryDelayRoutingKey,
} from './celery-delayed-delivery';
import { queueSettingsOf } from './queue-settings';
import { CeleryQueueSettings } from './celery-declarations';
import {
  AmqpUnroutableError,
  isServerRefusal,
} from '../../drivers/amqp/errors';
import {
  oversizedHeaders,
  bodyBytes,
  forwardOptions,
  publishOptions,
} from './message-codec';

/** The server's 404 NOT_FOUND channel error (amqplib puts the reply code on `code`). */
function isNotFound(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 404;
}

/** How long `close()` lets publishes in flight get their confirms. */
const CLOSE_GRACE_MS = 5_000;

/**
 * RabbitMQ through amqplib (`amqp://`, `amqps://`), wire-compatible with Celery 5.x:
 * Celery's declarations, persistent messages confirmed by the broker, round-robin
 * consumption within a prefetch bound, delays in TTL queues (no message held by a
 * process), dead letters in `<queue>.dead`, and recovery from lost connections.
 * See docs/rabbitmq.md.
 */
export class AmqpTransport
  implements
    Transport,
    QueueInspection,
    QueuePurge,
    ConnectionState,
    ControlBus,
    EventBus,
    ConnectionCheck
{
  readonly kind = 'amqp';
  readonly connection: AmqpConnection;
  private readonly logger: AmqpLogger;
  private readonly publisher: ConfirmPublisher;
  private readonly declarer: AmqpDeclarer;
  private readonly deadLetters: DeadLetterBox;
  private readonly control: AmqpControlBus;
  private readonly events: AmqpEventBus;
  private readonly subscriptions = new Set<ControlSubscription>();
  private readonly consumers = new Set<AmqpConsumer>();
  private readonly publishTimeoutMs: number;
  private readonly delayPrefix: string;
  private readonly maxMessageSize: number;
  private closed = false;
  private readonly queueSettings: (queue: string) => CeleryQueueSettings;

  constructor(
    url: string,
    private readonly options: AmqpTransportOptions = {},
  ) {
    this.logger = options.logger ?? consoleLogger;
    this.connection = new AmqpConnection(url, options);
    this.publishTimeoutMs =
      options.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS;
    this.maxMessageSize = sizeLimitOption(
      options.maxMessageSize,
      RABBITMQ_MAX_MESSAGE_BYTES,
      'brokerOptions.maxMessageSize',
    );
    this.delayPrefix = options.delayPrefix ?? DEFAULT_DELAY_PREFIX;
    this.queueSettings = queueSettingsOf(options);
    this.declarer = new AmqpDeclarer(
      this.connection,
      this.queueSettings,
      {
        prefix: this.delayPrefix,
        queueType: options.delayQueueType ?? 'classic',
      },
      {
        queueType: options.celeryDelayQueueType ?? 'quorum',
        prefix: options.celeryDelayPrefix,
      },
    );
    this.publisher = new ConfirmPublisher(
      this.connection,
      this.logger,
      (error) => {
        // e.g. 404 NOT_FOUND: something we declared was deleted; declare again next time.
        if (isServerRefusal(error)) this.declarer.forget();
      },
    );
    this.deadLetters = new DeadLetterBox(
      this.connection,
      this.publisher,
      this.declarer,
      options.deadLetterQueue ?? defaultDeadLetterQueue,
    );
    this.control = new AmqpControlBus(
      this.connection,
      this.publisher,
      this.logger,
    );
    this.events = new AmqpEventBus(
      this.connection,
      this.publisher,
      this.logger,
    );
  }

  static fromUrl(
    url: string,
    options: AmqpTransportOptions = {},
  ): AmqpTransport {
    return new AmqpTransport(url, options);
  }

  /**
   * Connects and declares the delay levels now. Optional (publishing and consuming connect
   * on first use), but it takes the 32 levels' declarations out of the first delayed send.
   */
  async connect(): Promise<void> {
    const deadline = this.deadline();
    await this.connection.get(deadline);
    await this.declarer.delayTopology(deadline);
  }

  publish(queue: string, message: TaskMessage): Promise<void> {
    if (this.closed) {
      return Promise.reject(
        new Error('amqp transport is closed: cannot publish'),
      );
    }
    const oversized = oversizedHeaders(message);
    if (oversized) return Promise.reject(oversized);
    const eta = message.headers?.eta
      ? parseCeleryIso(message.headers.eta)
      : null;
    const options = publishOptions(message);
    let content: Buffer;
    try {
      content = bodyBytes(message);
      checkSize(
        () => `task ${describeTask(message)} to "${queue}"`,
        content.length,
        this.maxMessageSize,
        'brokerOptions.maxMessageSize',
      );
    } catch (error) {
      return Promise.reject(
        error instanceof Error ? error : new Error(String(error)),
      );
    }
    if (!eta && this.declarer.hasCeleryQueue(queue)) {
      // Hot path: declared already, no delay.
      options.mandatory = true;
      return this.publisher
        .publish(
          { exchange: '', routingKey: queue, content, options },
          this.deadline(),
        )
        .catch((error: unknown) => {
          if (!(error instanceof AmqpUnroutableError)) throw error;
          return this.send(queue, content, options, null, this.deadline());
        });
    }
    return this.send(queue, content, options, eta, this.deadline());
  }

  async consume(
    queues: readonly string[],
    onDelivery: (delivery: Delivery) => void,
    options: ConsumeOptions,
  ): Promise<Consumer> {
    if (this.closed)
      throw new Error('amqp transport is closed: cannot consume');
    const consumer = new AmqpConsumer(
      {
        connection: this.connection,
        declarer: this.declarer,
        logger: this.logger,
        globalQos: this.options.globalQos ?? false,
        isQuorum: (queue) => this.queueSettings(queue).queueType === 'quorum',
        forward: {
          deadLetter: (delivery, reason) =>
            this.deadLetters.put(
              delivery.queue,
              delivery.amqp,
              reason,
              this.deadline(),
            ),
          defer: (delivery, until) =>
            this.forward(delivery.queue, delivery.amqp, until),
        },
      },
      [...queues],
      onDelivery,
      options.prefetch,
    );
    this.consumers.add(consumer);
    try {
      await consumer.start(this.deadline());
    } catch (error) {
      this.consumers.delete(consumer);
      consumer.abandon();
      throw error;
    }
    return {
      stop: async () => {
        this.consumers.delete(consumer);
        await consumer.stop();
      },
    };
  }

  /** To Celery's `celeryev` topic exchange, transient. */
  async publishEvents(
    messages: readonly EventMessage[],
    hostname: string,
  ): Promise<void> {
    if (this.closed) return;
    await this.events.publish(messages, hostname, this.deadline());
  }

  openEventList(): EventList {
    return openJsonEventList();
  }

  async publishEventLists(
    lists: readonly EventList[],
    hostname: string,
  ): Promise<void> {
    if (this.closed) return;
    await this.events.publishLists(lists, hostname, this.deadline());
  }

  /** Listens on a `celeryev.<uuid>` queue of its own (declared again on reconnect). */
  async subscribeEvents(
    handler: (delivery: EventDelivery) => void,
  ): Promise<EventSubscription> {
    if (this.closed)
      throw new Error('amqp transport is closed: cannot subscribe');
    const subscription = await this.events.subscribe(handler, this.deadline());
    const tracked: EventSubscription = {
      close: async () => {
        this.subscriptions.delete(tracked);
        await subscription.close();
      },
    };
    this.subscriptions.add(tracked);
    return tracked;
  }

  /** To every worker listening now, through Celery's `celery.pidbox` fanout exchange. */
  broadcastControl(message: ControlMessage): Promise<void> {
    if (this.closed) {
      return Promise.reject(
        new Error('amqp transport is closed: cannot broadcast'),
      );
    }
    return this.control.broadcast(message, this.deadline());
  }

  /** Listens on a `<node>.celery.pidbox` queue of its own (declared again on reconnect). */
  async subscribeControl(
    handler: (message: ControlMessage) => void,
    options: SubscribeControlOptions = {},
  ): Promise<ControlSubscription> {
    if (this.closed)
      throw new Error('amqp transport is closed: cannot subscribe');
    const subscription = await this.control.subscribe(
      handler,
      this.deadline(),
      options.node,
    );
    const tracked: ControlSubscription = {
      close: async () => {
        this.subscriptions.delete(tracked);
        await subscription.close();
      },
    };
    this.subscriptions.add(tracked);
    return tracked;
  }

  /** To the `reply.celery.pidbox` direct exchange, with the command's ticket. */
  async replyControl(
    replyTo: ControlReplyTo,
    ticket: string | undefined,
    reply: ControlReply,
  ): Promise<void> {
    if (this.closed) return;
    await this.control.reply(replyTo, ticket, reply, this.deadline());
  }

  /** Broadcasts and gathers replies on a reply queue of its own. */
  callControl(
    message: ControlMessage,
    options: CallControlOptions,
  ): Promise<ControlReply[]> {
    if (this.closed) {
      return Promise.reject(
        new Error('amqp transport is closed: cannot call workers'),
      );
    }
    return this.control.call(message, options, this.deadline());
  }

  /** ConnectionCheck: resolves once RabbitMQ took the connection (`failFast` at boot). */
  async checkConnection(waitMs: number): Promise<void> {
    await this.connection.get(Date.now() + waitMs);
  }

  /** True while the connection is up (amqplib's heartbeats notice a silent loss). */
  get connected(): boolean {
    return !this.closed && this.connection.current !== undefined;
  }

  onReconnect(listener: () => void): () => void {
    return this.connection.onConnect((live) => {
      if (live.generation > 1) listener();
    });
  }

  /**
   * A passive declare on a channel of its own (a queue that does not exist closes the
   * channel with 404, and reads as empty): ready messages and consumers.
   */
  async queueDepth(queue: string): Promise<QueueDepth> {
    const live = await this.connection.get(this.deadline());
    try {
      return await withChannel(live, async (channel) => {
        const { messageCount, consumerCount } = await channel.checkQueue(queue);
        return { queue, ready: messageCount, consumers: consumerCount };
      });
    } catch (error) {
      if (isNotFound(error)) return { queue, ready: 0, consumers: 0 };
      throw error;
    }
  }

  /** QueuePurge: `queue.purge`; messages in the shared delay levels stay. */
  async purgeQueue(queue: string): Promise<number> {
    const live = await this.connection.get(this.deadline());
    try {
      return await withChannel(live, async (channel) => {
        const { messageCount } = await channel.purgeQueue(queue);
        return messageCount;
      });
    } catch (error) {
      if (isNotFound(error)) return 0;
      throw error;
    }
  }

  /** The name of the dead-letter queue of `queue`. */
  deadLetterQueueOf(queue: string): string {
    return this.deadLetters.nameOf(queue);
  }

  /** Up to `limit` dead letters of `queue`, oldest first; they stay where they are. */
  listDeadLetters(queue: string, limit = 100): Promise<AmqpDeadLetter[]> {
    return this.deadLetters.list(queue, limit, this.deadline());
  }

  /** Moves up to `limit` dead letters back to their queue; resolves with how many moved. */
  replayDeadLetters(
    queue: string,
    limit = Number.POSITIVE_INFINITY,
  ): Promise<number> {
    return this.deadLetters.replay(
      queue,
      limit,
      this.deadline(),
      (target, amqp) => this.forward(target, amqp, null),
    );
  }

  /** Deletes up to `limit` dead letters of `queue` (all by default); resolves with how many. */
  dropDeadLetters(
    queue: string,
    limit = Number.POSITIVE_INFINITY,
  ): Promise<number> {
    return this.deadLetters.drop(queue, limit, this.deadline());
  }

  /** How many dead letters `queue` has. */
  countDeadLetters(queue: string): Promise<number> {
    return this.deadLetters.count(queue, this.deadline());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const consumer of this.consumers) consumer.abandon();
    this.consumers.clear();
    await Promise.allSettled(
      [...this.subscriptions].map((subscription) => subscription.close()),
    );
    await this.publisher.idle(CLOSE_GRACE_MS);
    await this.publisher.close();
    await this.connection.close();
  }

  /** Sends a delivered message on, as it came: now (`until` null or past) or later. */
  private forward(
    queue: string,
    amqp: Message,
    until: Date | null,
  ): Promise<void> {
    return this.send(
      queue,
      amqp.content,
      forwardOptions(amqp),
      until,
      this.deadline(),
    );
  }

  /**
   * Declares the queue as Celery does, then publishes to `''` with the queue as routing
   * key, or into the delay levels when `dueAt` is ahead. `mandatory` catches a queue
   * deleted behind our back: it is declared again and the message sent again.
   */
  private async send(
    queue: string,
    content: Buffer,
    options: Options.Publish,
    dueAt: Date | null,
    deadline: number,
  ): Promise<void> {
    options.mandatory = true; // `options` is this send's own object
    for (let attempt = 0; ; attempt++) {
      await this.declarer.celeryQueue(queue, deadline);
      try {
        const aheadMs = dueAt ? dueAt.getTime() - Date.now() : 0;
        if (aheadMs >= 1000 && this.queueSettings(queue).celeryDelays) {
          // Celery 5.5's native delayed delivery: whole seconds (it truncates; the
          // worker waits out the rest), the queue's name as the routing key's tail.
          await this.publisher.publish(
            {
              exchange: celeryDelayEntryExchange(
                this.options.celeryDelayPrefix,
              ),
              routingKey: celeryDelayRoutingKey(aheadMs / 1000, queue),
              content,
              options: { ...options, expiration: undefined },
            },
            deadline,
          );
        } else if (dueAt && aheadMs > 0) {
          await this.declarer.delayTopology(deadline);
          // Measured after declaring: the first delay of a connection declares 32 levels.
          const delayMs = Math.max(1, dueAt.getTime() - Date.now());
          // The delay's bits route it through the levels (as BCC: never seen by the
          // consumer); the queue is its routing key, which the consumer does see:
          // Celery sends a retry to the queue named by the delivery's routing key.
          const delayed = {
            ...options,
            expiration: undefined,
            BCC: delayRoutingKey(delayMs),
          };
          await this.publisher.publish(
            {
              exchange: delayEntryExchange(this.delayPrefix),
              routingKey: queue,
              content,
              options: delayed,
            },
            deadline,
          );
        } else {
          await this.publisher.publish(
            {
              exchange: '',
              routingKey: queue,
              content,
              options,
            },
            deadline,
          );
        }
        return;
      } catch (error) {
        if (!(error instanceof AmqpUnroutableError) || attempt >= 2)
          throw error;
        this.logger.warn(`${error.message}; declaring it again`);
        this.declarer.forget();
      }
    }
  }

  private deadline(): number {
    return Date.now() + this.publishTimeoutMs;
  }
}
