import type { Channel, Message } from 'amqplib';
import {
  AmqpConnection,
  LiveConnection,
} from '../../drivers/amqp/amqp-connection';
import { AmqpLogger } from '../../drivers/amqp/connection-options';
import { amqpInt } from '../../drivers/amqp/amqp-int';
import { closeChannel } from '../../drivers/amqp/safe-close';

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
 * backend does) and consumed without acks, on every connection, so replies keep coming
 * after a reconnection. Replies sent while the client was disconnected may be lost
 * (the auto-delete queue goes with its last consumer): rpc:// persists nothing.
 */
export class ReplyQueue {
  private channel: { channel: Channel; generation: number } | undefined;
  private opening: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly connection: AmqpConnection,
    private readonly settings: ReplyQueueSettings,
    private readonly onReply: (message: Message) => void,
    private readonly logger: AmqpLogger,
  ) {}

  async start(deadline: number): Promise<void> {
    this.unsubscribe ??= this.connection.onConnect((live) => {
      this.open(live).catch((error: Error) =>
        this.logger.error(
          `cannot consume reply queue ${this.settings.name}: ${error.message}`,
        ),
      );
    });
    await this.open(await this.connection.get(deadline));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    const current = this.channel;
    this.channel = undefined;
    if (current) await closeChannel(current.channel);
  }

  private async open(live: LiveConnection): Promise<void> {
    while (this.opening) await this.opening.catch(() => undefined);
    if (this.closed || this.connection.current !== live) return;
    if (this.channel?.generation === live.generation) return;
    this.opening = this.subscribe(live).finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async subscribe(live: LiveConnection): Promise<void> {
    const channel = await live.model.createChannel();
    const current = { channel, generation: live.generation };
    channel.on('error', (error: Error) =>
      this.logger.warn(`reply channel: ${error.message}`),
    );
    channel.on('close', () => {
      if (this.channel !== current) return;
      this.channel = undefined;
      // Closed while the connection lives on (queue deleted...): subscribe again.
      if (!this.closed && this.connection.current === live)
        setTimeout(() => void this.retry(live), 100);
    });
    this.channel = current;
    const { name, expiresMs } = this.settings;
    try {
      await channel.assertQueue(name, {
        durable:
          this.settings.durable ??
          serverMajor(this.connection.serverVersion) >= 4,
        autoDelete: true,
        exclusive: false,
        arguments: replyQueueArguments(expiresMs),
      });
      await channel.consume(
        name,
        (message) => {
          if (message) this.onReply(message);
          else void closeChannel(channel); // cancelled by the broker
        },
        { noAck: true },
      );
    } catch (error) {
      if (this.channel === current) this.channel = undefined;
      await closeChannel(channel);
      throw error;
    }
  }

  private async retry(live: LiveConnection): Promise<void> {
    await this.open(live).catch((error: Error) =>
      this.logger.error(
        `cannot consume reply queue ${this.settings.name}: ${error.message}`,
      ),
    );
  }
}

function serverMajor(version: string | undefined): number {
  const major = Number(version?.split('.')[0]);
  return Number.isFinite(major) ? major : 0;
}
