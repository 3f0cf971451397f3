import type { Channel } from 'amqplib';
import { randomUUID } from 'node:crypto';
import {
  EVENT_EXCHANGE,
  EventDelivery,
  EventList,
  EventMessage,
  EventSubscription,
  jsonEventListBytes,
} from '../event-bus';
import { AmqpConnection } from '../../drivers/amqp/amqp-connection';
import { ChannelPerConnection } from '../../drivers/amqp/channel-per-connection';
import { consumeOrClose } from '../../drivers/amqp/consume-or-close';
import { withChannel } from '../../drivers/amqp/with-channel';
import { AmqpLogger } from '../../drivers/amqp/connection-options';
import { ConfirmPublisher } from '../../drivers/amqp/confirm-publisher';

/** Celery's receiver queue arguments (event_queue_ttl 5 s, event_queue_expires 60 s). */
const RECEIVER_QUEUE_ARGUMENTS = {
  'x-message-ttl': 5000,
  'x-expires': 60000,
};

/**
 * Celery's events on RabbitMQ: the `celeryev` topic exchange (durable, as Celery
 * declares it), transient JSON messages with headers `{hostname}`; a subscriber binds
 * an exclusive `celeryev.<uuid>` queue with `#`, again after every reconnection.
 */
export class AmqpEventBus {
  private declaredOn = -1;

  constructor(
    private readonly connection: AmqpConnection,
    private readonly publisher: ConfirmPublisher,
    private readonly logger: AmqpLogger,
  ) {}

  /** Publishes each message's body as JSON. */
  publish(
    messages: readonly EventMessage[],
    hostname: string,
    deadline: number,
  ): Promise<void> {
    return this.publishJson(
      messages.map((message) => ({
        routingKey: message.routingKey,
        content: Buffer.from(JSON.stringify(message.body)),
      })),
      hostname,
      deadline,
    );
  }

  /** Publishes each list as one `task.multi` message. */
  publishLists(
    lists: readonly EventList[],
    hostname: string,
    deadline: number,
  ): Promise<void> {
    return this.publishJson(
      lists.map((list) => ({
        routingKey: 'task.multi',
        content: jsonEventListBytes(list),
      })),
      hostname,
      deadline,
    );
  }

  private async publishJson(
    messages: readonly { routingKey: string; content: Buffer }[],
    hostname: string,
    deadline: number,
  ): Promise<void> {
    if (messages.length === 0) return;
    const live = await this.connection.get(deadline);
    if (this.declaredOn !== live.generation) {
      await withChannel(live, declareEventExchange);
      this.declaredOn = live.generation;
    }
    const options = {
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      deliveryMode: 1,
      headers: { hostname },
    };
    await Promise.all(
      messages.map((message) =>
        this.publisher.publish(
          {
            exchange: EVENT_EXCHANGE,
            routingKey: message.routingKey,
            content: message.content,
            options,
          },
          deadline,
        ),
      ),
    );
  }

  async subscribe(
    handler: (delivery: EventDelivery) => void,
    deadline: number,
  ): Promise<EventSubscription> {
    const subscriber = eventQueueSubscriber(
      this.connection,
      this.logger,
      handler,
    );
    try {
      await subscriber.start(deadline);
    } catch (error) {
      await subscriber.close();
      throw error;
    }
    return subscriber;
  }
}

async function declareEventExchange(channel: Channel): Promise<void> {
  await channel.assertExchange(EVENT_EXCHANGE, 'topic', {
    durable: true,
    autoDelete: false,
  });
}

/** An exclusive `celeryev.<uuid>` queue bound with `#`, redone on every new connection until closed. */
function eventQueueSubscriber(
  connection: AmqpConnection,
  logger: AmqpLogger,
  handler: (delivery: EventDelivery) => void,
): ChannelPerConnection {
  const queue = `${EVENT_EXCHANGE}.${randomUUID()}`;
  return new ChannelPerConnection(
    connection,
    logger,
    'event bus',
    async (channel) => {
      await declareEventExchange(channel);
      await channel.assertQueue(queue, {
        durable: false,
        autoDelete: true,
        exclusive: true,
        arguments: RECEIVER_QUEUE_ARGUMENTS,
      });
      await channel.bindQueue(queue, EVENT_EXCHANGE, '#');
      await consumeOrClose(
        channel,
        queue,
        (delivery) => handler(readEvent(delivery.content)),
        { noAck: true },
      );
    },
  );
}

function readEvent(content: Buffer): EventDelivery {
  try {
    return { ok: true, body: JSON.parse(content.toString('utf8')) };
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
}
