import type { ConfirmChannel, Message, Options } from 'amqplib';
import { AmqpLogger } from '../../drivers/amqp/connection-options';
import { ReplyLane } from '../../drivers/amqp/reply-lanes';

/**
 * The reply side of a consumer's (confirm) channel. A reply is written and not waited
 * for: the ack that follows on this channel cannot overtake it, and a transient reply to
 * a transient queue is lost in a broker crash whether confirmed or not. A reply the
 * broker refuses (basic.nack) or cannot route (its queue is gone) is logged, as the
 * confirm publisher's caller would have.
 */
export class ConsumerLane implements ReplyLane {
  private open = true;

  constructor(
    private readonly channel: ConfirmChannel,
    private readonly logger: AmqpLogger,
  ) {
    channel.on('return', (message: Message) => this.onReturn(message));
  }

  /** The channel closed: later replies go through the confirm publisher. */
  close(): void {
    this.open = false;
  }

  publishReply(
    routingKey: string,
    content: Buffer,
    options: Options.Publish,
  ): boolean {
    if (!this.open) return false;
    try {
      // The buffer may be over its mark; the consumer's prefetch bounds what can queue.
      this.channel.publish('', routingKey, content, options, (error) => {
        if (error && /nack/i.test((error as Error).message))
          this.logger.warn(
            `RabbitMQ refused (basic.nack) the reply to ${routingKey} of ${String(options.correlationId)}`,
          );
      });
      return true;
    } catch {
      this.open = false; // closing: nothing written
      return false;
    }
  }

  private onReturn(message: Message): void {
    const taskId = String(message.properties.correlationId);
    this.logger.warn(
      `reply queue ${message.fields.routingKey} is gone: the reply of ${taskId} dropped`,
    );
  }
}
