import type { Channel } from 'amqplib';
import { randomUUID } from 'node:crypto';
import {
  EVENT_EXCHANGE,
  EventDelivery,
  EventMessage,
  EventSubscription,
} from '../event-bus';
import {
  AmqpConnection,
  LiveConnection,
} from '../../drivers/amqp/amqp-connection';
import { AmqpLogger } from '../../drivers/amqp/connection-options';
import { ConfirmPublisher } from '../../drivers/amqp/confirm-publisher';
import { closeChannel } from '../../drivers/amqp/safe-close';

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

  async publish(
    messages: readonly EventMessage[],
    hostname: string,
    deadline: number,
  ): Promise<void> {
    if (messages.length === 0) return;
    const live = await this.connection.get(deadline);
    if (this.declaredOn !== live.generation) {
      const channel = await live.model.createChannel();
      channel.on('error', () => undefined); // the refusal rejects the assert
      try {
        await declareEventExchange(channel);
      } finally {
        await closeChannel(channel);
      }
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
            content: Buffer.from(JSON.stringify(message.body)),
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
    const subscriber = new EventQueueSubscriber(
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

class EventQueueSubscriber implements EventSubscription {
  private channel: Channel | undefined;
  private closed = false;
  private unlisten: (() => void) | undefined;
  private readonly queue = `${EVENT_EXCHANGE}.${randomUUID()}`;

  constructor(
    private readonly connection: AmqpConnection,
    private readonly logger: AmqpLogger,
    private readonly handler: (delivery: EventDelivery) => void,
  ) {}

  async start(deadline: number): Promise<void> {
    this.unlisten = this.connection.onConnect((live) => {
      this.listen(live).catch((error: Error) =>
        this.logger.warn(
          `event bus: could not listen again after reconnecting: ${error.message}`,
        ),
      );
    });
    await this.listen(await this.connection.get(deadline));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unlisten?.();
    const channel = this.channel;
    this.channel = undefined;
    if (channel) await closeChannel(channel);
  }

  private async listen(live: LiveConnection): Promise<void> {
    if (this.closed) return;
    const channel = await live.model.createChannel();
    channel.on('error', (error: Error) =>
      this.logger.warn(`event bus channel failed: ${error.message}`),
    );
    await declareEventExchange(channel);
    await channel.assertQueue(this.queue, {
      durable: false,
      autoDelete: true,
      exclusive: true,
      arguments: RECEIVER_QUEUE_ARGUMENTS,
    });
    await channel.bindQueue(this.queue, EVENT_EXCHANGE, '#');
    await channel.consume(
      this.queue,
      (delivery) => {
        if (!delivery) return;
        let event: EventDelivery;
        try {
          event = {
            ok: true,
            body: JSON.parse(delivery.content.toString('utf8')),
          };
        } catch (error) {
          event = {
            ok: false,
            reason: `not JSON: ${(error as Error).message}`,
          };
        }
        this.handler(event);
      },
      { noAck: true },
    );
    if (this.closed) {
      await closeChannel(channel);
      return;
    }
    this.channel = channel;
  }
}
