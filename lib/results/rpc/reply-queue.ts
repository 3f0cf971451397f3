import type { Message } from 'amqplib';
import { AmqpConnection } from '../../drivers/amqp/amqp-connection';
import { AmqpLogger } from '../../drivers/amqp/connection-options';
import { amqpInt } from '../../drivers/amqp/amqp-int';
import { ChannelPerConnection } from '../../drivers/amqp/channel-per-connection';
import { consumeOrClose } from '../../drivers/amqp/consume-or-close';

export interface ReplyQueueSettings {
  /** The client's oid: the queue's name and the `reply_to` of its tasks. */
  name: string;
  /** `x-expires`: the queue goes once unused this long (Celery: result_expires). */
  expiresMs: number;
  /**
   * Celery 5.2 declares it transient; RabbitMQ 4.3 refuses transient non-exclusive
   * queues (Celery main makes it durable). Default: durable on RabbitMQ >= 4.
   */
  durable?: boolean;
}

/** The reply queue's arguments, as Celery 5.2 declares them. */
export function replyQueueArguments(
  expiresMs: number,
): Record<string, unknown> {
  return { 'x-expires': amqpInt(expiresMs) };
}

/**
 * The client's reply queue: declared auto-delete with `x-expires` (as Celery's rpc
 * backend does) and consumed without acks, on every connection and again when the
 * queue alone goes (deleted, consumer cancelled), so replies keep coming. Replies sent
 * meanwhile may be lost (the auto-delete queue goes with its last consumer): rpc://
 * persists nothing.
 */
export class ReplyQueue {
  private readonly subscriber: ChannelPerConnection;

  constructor(
    connection: AmqpConnection,
    settings: ReplyQueueSettings,
    onReply: (message: Message) => void,
    logger: AmqpLogger,
  ) {
    const { name, expiresMs } = settings;
    this.subscriber = new ChannelPerConnection(
      connection,
      logger,
      `reply queue ${name}`,
      async (channel) => {
        await channel.assertQueue(name, {
          durable:
            settings.durable ?? serverMajor(connection.serverVersion) >= 4,
          autoDelete: true,
          exclusive: false,
          arguments: replyQueueArguments(expiresMs),
        });
        await consumeOrClose(channel, name, onReply, { noAck: true });
      },
    );
  }

  start(deadline: number): Promise<void> {
    return this.subscriber.start(deadline);
  }

  close(): Promise<void> {
    return this.subscriber.close();
  }
}

function serverMajor(version: string | undefined): number {
  const major = Number(version?.split('.')[0]);
  return Number.isFinite(major) ? major : 0;
}
