import type { Channel } from 'amqplib';
import { amqpInt } from '../../drivers/amqp/amqp-int';

/**
 * The queue arguments Celery 5.x declares: none, or `x-max-priority` when a max priority
 * is configured for the queue (`task_queue_max_priority` or `Queue(max_priority=)`).
 * Any other difference makes RabbitMQ refuse the second declaration (PRECONDITION_FAILED).
 */
export function celeryQueueArguments(
  maxPriority?: number,
): Record<string, unknown> {
  return maxPriority === undefined
    ? {}
    : { 'x-max-priority': amqpInt(maxPriority) };
}

/**
 * Declares `queue` exactly as Celery does for its default queue `celery` and for queues it
 * creates on demand (`task_create_missing_queues`): a durable direct exchange named like
 * the queue, the durable queue, and a binding with the queue's name as key.
 * Tasks are still published to the default exchange `''` (routing key = queue), as Celery does.
 */
export async function declareCeleryQueue(
  channel: Channel,
  queue: string,
  maxPriority?: number,
): Promise<void> {
  await channel.assertExchange(queue, 'direct', {
    durable: true,
    autoDelete: false,
    internal: false,
  });
  await channel.assertQueue(queue, {
    durable: true,
    autoDelete: false,
    exclusive: false,
    arguments: celeryQueueArguments(maxPriority),
  });
  await channel.bindQueue(queue, queue, queue);
}

/** A plain durable queue for dead letters: no arguments, reached through `''`. */
export async function declareDeadLetterQueue(
  channel: Channel,
  name: string,
): Promise<void> {
  await channel.assertQueue(name, {
    durable: true,
    autoDelete: false,
    exclusive: false,
  });
}
