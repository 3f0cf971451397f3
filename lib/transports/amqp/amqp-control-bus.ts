import type { Channel } from 'amqplib';
import { randomUUID } from 'node:crypto';
import {
  CallControlOptions,
  ControlMessage,
  ControlReply,
  ControlReplyTo,
  ControlSubscription,
} from '../control-bus';
import { NodeNameInUseError } from '../errors';
import {
  REPLY_EXCHANGE,
  ReplyCollector,
  newReplyQueue,
} from '../reply-collector';
import { AmqpConnection } from '../../drivers/amqp/amqp-connection';
import { ChannelPerConnection } from '../../drivers/amqp/channel-per-connection';
import { consumeOrClose } from '../../drivers/amqp/consume-or-close';
import { withChannel } from '../../drivers/amqp/with-channel';
import { AmqpLogger } from '../../drivers/amqp/connection-options';
import { ConfirmPublisher } from '../../drivers/amqp/confirm-publisher';
import {
  PIDBOX_EXCHANGE,
  celeriacNodeName,
  declarePidboxExchange,
  declarePidboxQueue,
  pidboxPublish,
  readPidbox,
} from './pidbox';
import { closeChannel } from '../../drivers/amqp/safe-close';

/**
 * Celery's pidbox on RabbitMQ: broadcasts go to the `celery.pidbox` fanout exchange;
 * each subscriber (a worker) has its own `<node>.celery.pidbox` queue bound to it,
 * declared again after every reconnection. Celery's `app.control.revoke` reaches
 * Celeriac workers and the other way round.
 */
export class AmqpControlBus {
  private clock = 0;
  private declaredOn = -1;
  private replyDeclaredOn = -1;

  constructor(
    private readonly connection: AmqpConnection,
    private readonly publisher: ConfirmPublisher,
    private readonly logger: AmqpLogger,
  ) {}

  async broadcast(message: ControlMessage, deadline: number): Promise<void> {
    const live = await this.connection.get(deadline);
    if (this.declaredOn !== live.generation) {
      await withChannel(live, declarePidboxExchange);
      this.declaredOn = live.generation;
    }
    const { content, options } = pidboxPublish(message, ++this.clock);
    await this.publisher.publish(
      { exchange: PIDBOX_EXCHANGE, routingKey: '', content, options },
      deadline,
    );
  }

  async subscribe(
    handler: (message: ControlMessage) => void,
    deadline: number,
    node: string = celeriacNodeName(),
  ): Promise<ControlSubscription> {
    const subscriber = pidboxSubscriber(
      this.connection,
      this.logger,
      handler,
      node,
    );
    try {
      await subscriber.start(deadline);
    } catch (error) {
      await subscriber.close();
      // 405 RESOURCE_LOCKED: another connection holds the exclusive node queue.
      if ((error as { code?: unknown }).code === 405)
        throw new NodeNameInUseError(node);
      throw error;
    }
    return { close: () => subscriber.close() };
  }

  /** kombu's `_publish_reply`: to the direct reply exchange, transient, `{ticket, clock}`. */
  async reply(
    replyTo: ControlReplyTo,
    ticket: string | undefined,
    reply: ControlReply,
    deadline: number,
  ): Promise<void> {
    const live = await this.connection.get(deadline);
    if (
      replyTo.exchange === REPLY_EXCHANGE &&
      this.replyDeclaredOn !== live.generation
    ) {
      await withChannel(live, declareReplyExchange);
      this.replyDeclaredOn = live.generation;
    }
    await this.publisher.publish(
      {
        exchange: replyTo.exchange,
        routingKey: replyTo.routing_key,
        content: Buffer.from(JSON.stringify(reply)),
        options: {
          contentType: 'application/json',
          contentEncoding: 'utf-8',
          deliveryMode: 1,
          headers: { ticket, clock: ++this.clock },
        },
      },
      deadline,
    );
  }

  /**
   * kombu's `_broadcast(reply=True)`: a reply queue of its own (auto-delete, bound to
   * `reply.celery.pidbox` by its oid), the command with a ticket, replies until the
   * timeout or the limit; closing the channel deletes the queue.
   */
  async call(
    message: ControlMessage,
    options: CallControlOptions,
    deadline: number,
  ): Promise<ControlReply[]> {
    const live = await this.connection.get(deadline);
    const channel = await live.model.createChannel();
    channel.on('error', (error: Error) =>
      this.logger.warn(`control reply channel failed: ${error.message}`),
    );
    const { oid, queue } = newReplyQueue();
    const collector = new ReplyCollector(randomUUID(), options);
    try {
      await declareReplyExchange(channel);
      await channel.assertQueue(queue, {
        durable: false,
        autoDelete: true,
        exclusive: true,
        arguments: { 'x-expires': QUEUE_EXPIRES_MS },
      });
      await channel.bindQueue(queue, REPLY_EXCHANGE, oid);
      await channel.consume(
        queue,
        (delivery) => {
          if (!delivery) return;
          try {
            collector.add(
              JSON.parse(delivery.content.toString('utf8')),
              (delivery.properties.headers ?? {}).ticket,
            );
          } catch {
            this.logger.warn('control: ignored a reply that is not JSON');
          }
        },
        { noAck: true },
      );
      await this.broadcast(
        {
          ...message,
          ticket: collector.ticket,
          reply_to: { exchange: REPLY_EXCHANGE, routing_key: oid },
        },
        deadline,
      );
      collector.start();
      return await collector.done;
    } finally {
      await closeChannel(channel);
    }
  }
}

/** kombu's reply queues expire 10 s after their last use. */
const QUEUE_EXPIRES_MS = 10_000;

async function declareReplyExchange(channel: Channel): Promise<void> {
  await channel.assertExchange(REPLY_EXCHANGE, 'direct', {
    durable: false,
    autoDelete: false,
  });
}

/** One node's queue and consumer, redone on every new connection until closed. */
function pidboxSubscriber(
  connection: AmqpConnection,
  logger: AmqpLogger,
  handler: (message: ControlMessage) => void,
  node: string,
): ChannelPerConnection {
  return new ChannelPerConnection(
    connection,
    logger,
    'control bus',
    async (channel) => {
      const queue = await declarePidboxQueue(channel, node);
      await consumeOrClose(
        channel,
        queue,
        (delivery) => {
          const message = readPidbox(delivery.content);
          if (!message) {
            logger.warn(`control bus: ignored a message that is not a command`);
            return;
          }
          try {
            handler(message);
          } catch (error) {
            logger.error(
              `control bus handler failed: ${(error as Error).message}`,
            );
          }
        },
        { noAck: true },
      );
    },
  );
}
