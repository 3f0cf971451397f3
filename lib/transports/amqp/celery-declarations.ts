import type { Channel } from 'amqplib';
import { amqpInt } from '../../drivers/amqp/amqp-int';

/** How one queue is declared (see AmqpQueueOptions). */
export interface CeleryQueueSettings {
  maxPriority?: number;
  queueType: 'classic' | 'quorum';
  deliveryLimit?: number;
  exchangeType: 'direct' | 'topic';
  /**
   * Delays go through Celery 5.5's `celery_delayed_*` levels: a quorum queue is
   * configured and this queue's exchange is not direct (Celery's own test).
   */
  celeryDelays: boolean;
  /** Where RabbitMQ dead-letters what passed the delivery limit. */
  deadLetterQueue: string;
}

/**
 * The queue arguments Celery 5.x declares: none, or `x-max-priority` when a max priority
 * is configured for the queue (`task_queue_max_priority` or `Queue(max_priority=)`); a
 * quorum queue `x-queue-type: quorum` (Celery 5.5), and with a delivery limit the
 * arguments that dead-letter past it, which Celery's `queue_arguments` must then repeat.
 * Any other difference makes RabbitMQ refuse the second declaration (PRECONDITION_FAILED).
 */
export function celeryQueueArguments(
  settings: Partial<CeleryQueueSettings> = {},
): Record<string, unknown> {
  if (settings.queueType !== 'quorum') {
    return settings.maxPriority === undefined
      ? {}
      : { 'x-max-priority': amqpInt(settings.maxPriority) };
  }
  if (settings.deliveryLimit === undefined) return { 'x-queue-type': 'quorum' };
  return {
    'x-queue-type': 'quorum',
    'x-delivery-limit': amqpInt(settings.deliveryLimit),
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': settings.deadLetterQueue,
    // at-least-once dead-lettering needs reject-publish (RabbitMQ >= 3.10).
    'x-dead-letter-strategy': 'at-least-once',
    'x-overflow': 'reject-publish',
  };
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
  settings: Partial<CeleryQueueSettings> = {},
): Promise<void> {
  // RabbitMQ drops a dead letter whose queue is missing: it comes first.
  if (settings.queueType === 'quorum' && settings.deliveryLimit !== undefined)
    await declareDeadLetterQueue(channel, settings.deadLetterQueue!);
  await channel.assertExchange(queue, settings.exchangeType ?? 'direct', {
    durable: true,
    autoDelete: false,
    internal: false,
  });
  await channel.assertQueue(queue, {
    durable: true,
    autoDelete: false,
    exclusive: false,
    arguments: celeryQueueArguments(settings),
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
