import type { Channel, Message } from 'amqplib';
import { TaskMessage } from '../../protocol';
import { AmqpConnection } from '../../drivers/amqp/amqp-connection';
import { AmqpDeclarer } from './amqp-declarer';
import { ConfirmPublisher } from '../../drivers/amqp/confirm-publisher';
import { decodeMessage, forwardOptions } from './message-codec';
import { withChannel } from '../../drivers/amqp/with-channel';

export const DEAD_REASON_HEADER = 'x-celeriac-dead-reason';
export const DEAD_QUEUE_HEADER = 'x-celeriac-dead-queue';
export const DEAD_AT_HEADER = 'x-celeriac-dead-at';

/** A dead letter as kept in `<queue>.dead`. */
export interface AmqpDeadLetter {
  /** The queue it was taken from. */
  queue: string;
  reason: string;
  at: Date | null;
  /** The task message, unless it could not be decoded (then `decodeError`). */
  message?: TaskMessage;
  decodeError?: Error;
  /** The body exactly as it came. */
  content: Buffer;
  /** `content` as text. */
  raw: string;
}

/**
 * Dead letters: a message the worker cannot run is published, confirmed, to a durable
 * queue of its own (`<queue>.dead` by default) with the reason in a header, and only then
 * acked, so it is neither lost nor redelivered in a loop. Celery's queues get no
 * `x-dead-letter-*` arguments: that would make RabbitMQ refuse Celery's own declarations.
 */
export class DeadLetterBox {
  constructor(
    private readonly connection: AmqpConnection,
    private readonly publisher: ConfirmPublisher,
    private readonly declarer: AmqpDeclarer,
    readonly nameOf: (queue: string) => string,
  ) {}

  async put(
    queue: string,
    amqp: Message,
    reason: string,
    deadline: number,
  ): Promise<void> {
    const name = this.nameOf(queue);
    await this.declarer.deadLetterQueue(name, deadline);
    const headers = {
      [DEAD_REASON_HEADER]: reason,
      [DEAD_QUEUE_HEADER]: queue,
      [DEAD_AT_HEADER]: new Date().toISOString(),
    };
    await this.publisher.publish(
      {
        exchange: '',
        routingKey: name,
        content: amqp.content,
        options: { ...forwardOptions(amqp, headers), mandatory: true },
      },
      deadline,
    );
  }

  /** Up to `limit` dead letters of `queue`, oldest first, left in place. */
  async list(
    queue: string,
    limit: number,
    deadline: number,
  ): Promise<AmqpDeadLetter[]> {
    return this.withChannel(queue, deadline, async (channel, name) => {
      const letters: AmqpDeadLetter[] = [];
      while (letters.length < limit) {
        const got = await channel.get(name, { noAck: false });
        if (!got) break;
        letters.push(readDeadLetter(got, queue));
      }
      return letters; // closing the channel gives them back, in order
    });
  }

  /**
   * Moves up to `limit` dead letters back to the queue they came from (each one published
   * with confirm, then removed). Returns how many moved.
   */
  async replay(
    queue: string,
    limit: number,
    deadline: number,
    send: (queue: string, amqp: Message) => Promise<void>,
  ): Promise<number> {
    return this.withChannel(queue, deadline, async (channel, name) => {
      let moved = 0;
      while (moved < limit) {
        const got = await channel.get(name, { noAck: false });
        if (!got) break;
        await send(readDeadLetter(got, queue).queue, got);
        channel.ack(got);
        moved++;
      }
      return moved;
    });
  }

  /** Deletes up to `limit` dead letters of `queue`, oldest first. Returns how many. */
  async drop(queue: string, limit: number, deadline: number): Promise<number> {
    return this.withChannel(queue, deadline, async (channel, name) => {
      if (limit === Number.POSITIVE_INFINITY) {
        const { messageCount } = await channel.purgeQueue(name);
        return messageCount;
      }
      let dropped = 0;
      while (dropped < limit) {
        const got = await channel.get(name, { noAck: true });
        if (!got) break;
        dropped++;
      }
      return dropped;
    });
  }

  /** How many dead letters `queue` has (a passive declare's count). */
  async count(queue: string, deadline: number): Promise<number> {
    return this.withChannel(queue, deadline, async (channel, name) => {
      const { messageCount } = await channel.checkQueue(name);
      return messageCount;
    });
  }

  private async withChannel<T>(
    queue: string,
    deadline: number,
    use: (channel: Channel, name: string) => Promise<T>,
  ): Promise<T> {
    const name = this.nameOf(queue);
    await this.declarer.deadLetterQueue(name, deadline);
    const live = await this.connection.get(deadline);
    return withChannel(live, (channel) => use(channel, name));
  }
}

export function readDeadLetter(
  amqp: Message,
  fallbackQueue: string,
): AmqpDeadLetter {
  const headers = amqp.properties.headers ?? {};
  const at =
    typeof headers[DEAD_AT_HEADER] === 'string'
      ? new Date(headers[DEAD_AT_HEADER])
      : null;
  const decoded = decodeMessage(amqp);
  return {
    // RabbitMQ's own dead-lettering (a quorum queue's delivery limit) says why in
    // x-first-death-reason ('delivery_limit', 'rejected'...) and x-first-death-queue.
    queue:
      typeof headers[DEAD_QUEUE_HEADER] === 'string'
        ? headers[DEAD_QUEUE_HEADER]
        : typeof headers['x-first-death-queue'] === 'string'
          ? headers['x-first-death-queue']
          : fallbackQueue,
    reason:
      typeof headers[DEAD_REASON_HEADER] === 'string'
        ? headers[DEAD_REASON_HEADER]
        : typeof headers['x-first-death-reason'] === 'string'
          ? `rabbitmq: ${headers['x-first-death-reason']}`
          : '',
    at: at && !Number.isNaN(at.getTime()) ? at : null,
    message: decoded.message,
    decodeError: decoded.decodeError,
    content: amqp.content,
    raw: amqp.content.toString(),
  };
}
