import type { Message } from 'amqplib';

/**
 * Messages RabbitMQ returned (`mandatory`, no queue took them). A return comes before
 * the confirm of the same message on the same channel, so the confirm looks here first.
 * Keyed by exchange, routing key and correlation id (the task id).
 */
export class ReturnedMessages {
  private readonly counts = new Map<string, number>();

  get size(): number {
    return this.counts.size;
  }

  record(message: Message): void {
    const key = keyOf(
      message.fields.exchange,
      message.fields.routingKey,
      message.properties.correlationId as string | undefined,
    );
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** True (once) if this message was returned. */
  take(
    exchange: string,
    routingKey: string,
    correlationId: string | undefined,
  ): boolean {
    const key = keyOf(exchange, routingKey, correlationId);
    const count = this.counts.get(key);
    if (count === undefined) return false;
    if (count <= 1) this.counts.delete(key);
    else this.counts.set(key, count - 1);
    return true;
  }

  /** Returns belong to their channel's messages: forgotten with it. */
  clear(): void {
    this.counts.clear();
  }
}

function keyOf(
  exchange: string,
  routingKey: string,
  correlationId: string | undefined,
): string {
  return `${exchange}\u0000${routingKey}\u0000${correlationId ?? ''}`;
}
