import type { Channel } from 'amqplib';
import { ControlMessage, ControlSubscription } from '../control-bus';
import {
  AmqpConnection,
  LiveConnection,
} from '../../drivers/amqp/amqp-connection';
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
  ): Promise<ControlSubscription> {
    const subscriber = new PidboxSubscriber(
      this.connection,
      this.logger,
      handler,
    );
    await subscriber.start(deadline);
    return { close: () => subscriber.close() };
  }
}

/** One node's queue and consumer, redone on every new connection until closed. */
class PidboxSubscriber {
  readonly node = celeriacNodeName();
  private channel: Channel | undefined;
  private closed = false;
  private unlisten: (() => void) | undefined;

  constructor(
    private readonly connection: AmqpConnection,
    private readonly logger: AmqpLogger,
    private readonly handler: (message: ControlMessage) => void,
  ) {}

  async start(deadline: number): Promise<void> {
    this.unlisten = this.connection.onConnect((live) => {
      this.listen(live).catch((error: Error) =>
        this.logger.warn(
          `control bus: could not listen again after reconnecting: ${error.message}`,
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
      this.logger.warn(`control bus channel failed: ${error.message}`),
    );
    const queue = await declarePidboxQueue(channel, this.node);
    await channel.consume(
      queue,
      (delivery) => {
        if (!delivery) return;
        const message = readPidbox(delivery.content);
        if (!message) {
          this.logger.warn(
            `control bus: ignored a message that is not a command`,
          );
          return;
        }
        try {
          this.handler(message);
        } catch (error) {
          this.logger.error(
            `control bus handler failed: ${(error as Error).message}`,
          );
        }
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

async function withChannel(
  live: LiveConnection,
  use: (channel: Channel) => Promise<void>,
): Promise<void> {
  const channel = await live.model.createChannel();
  channel.on('error', () => undefined); // the refusal rejects `use`
  try {
    await use(channel);
  } finally {
    await closeChannel(channel);
  }
}
