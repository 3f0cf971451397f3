import type { Channel } from 'amqplib';
import { amqpInt } from '../../drivers/amqp/amqp-int';

/**
 * Celery 5.5's native delayed delivery (kombu's `native_delayed_delivery`), the way
 * delays work on quorum queues, which have no per-message TTL trick and whose workers
 * run without global QoS (an eta message held by a worker would pin a prefetch slot).
 *
 * 28 levels, k = 27..0: a topic exchange and a queue `celery_delayed_k`, the queue with
 * `x-message-ttl` 2^k s, `x-overflow: reject-publish`, `x-queue-type` (quorum by default,
 * then `x-dead-letter-strategy: at-least-once`) and as dead-letter exchange level k-1, or
 * `celery_delayed_delivery` after level 0. A countdown of n whole seconds is published to
 * `celery_delayed_27` with the routing key `<n in 28 binary digits, one word each>.<queue's
 * routing key>`: level k's queue is bound with the k-th digit `1`, its exchange passes a
 * `0` on to level k-1. `celery_delayed_delivery` (topic) is bound to each queue's exchange
 * with `#.<routing key>`, and the queue to its exchange with the same key, so the message
 * lands on its queue. Celery binds only queues whose exchange is not `direct` (a direct
 * exchange cannot match `#.`); for the others its producer publishes straight to the
 * queue and the worker holds the message until its eta.
 *
 * Celery truncates the countdown to whole seconds (`int(countdown)`): the message lands
 * up to a second early, and the worker waits out the rest.
 */
export const CELERY_DELAY_BITS = 28;
export const CELERY_MAX_DELAY_SECONDS = 2 ** CELERY_DELAY_BITS - 1;

/** kombu's `level_name`: `celery_delayed_<k>`, or `<prefix>_celery_delayed_<k>`. */
export function celeryDelayLevel(level: number, prefix?: string): string {
  return prefix
    ? `${prefix}_celery_delayed_${level}`
    : `celery_delayed_${level}`;
}

/** The exchange a delayed message leaves the levels by. */
export function celeryDelayDeliveryExchange(prefix?: string): string {
  return prefix
    ? `${prefix}_celery_delayed_delivery`
    : 'celery_delayed_delivery';
}

/** Where Celery publishes a delayed message: the top level. */
export function celeryDelayEntryExchange(prefix?: string): string {
  return celeryDelayLevel(CELERY_DELAY_BITS - 1, prefix);
}

/** kombu's `calculate_routing_key`: 28 binary digits of the seconds, then the routing key. */
export function celeryDelayRoutingKey(
  seconds: number,
  routingKey: string,
): string {
  const whole = Math.min(CELERY_MAX_DELAY_SECONDS, Math.trunc(seconds));
  if (whole < 1)
    throw new RangeError('a Celery delayed-delivery countdown is at least 1 s');
  return `${whole.toString(2).padStart(CELERY_DELAY_BITS, '0').split('').join('.')}.${routingKey}`;
}

/** Queue arguments of level k, as kombu declares them (py-amqp's integer types). */
export function celeryDelayLevelArguments(
  level: number,
  queueType: 'classic' | 'quorum',
  prefix?: string,
): Record<string, unknown> {
  return {
    'x-queue-type': queueType,
    'x-overflow': 'reject-publish',
    'x-message-ttl': amqpInt(2 ** level * 1000),
    'x-dead-letter-exchange':
      level > 0
        ? celeryDelayLevel(level - 1, prefix)
        : celeryDelayDeliveryExchange(prefix),
    ...(queueType === 'quorum'
      ? { 'x-dead-letter-strategy': 'at-least-once' }
      : {}),
  };
}

/** kombu's `declare_native_delayed_delivery_exchanges_and_queues`, step for step. */
export async function declareCeleryDelayedDelivery(
  channel: Channel,
  queueType: 'classic' | 'quorum',
  prefix?: string,
): Promise<void> {
  let routingKey = '1.#';
  for (let level = CELERY_DELAY_BITS - 1; level >= 0; level--) {
    const name = celeryDelayLevel(level, prefix);
    await channel.assertExchange(name, 'topic', { durable: true });
    await channel.assertQueue(name, {
      durable: true,
      arguments: celeryDelayLevelArguments(level, queueType, prefix),
    });
    await channel.bindQueue(name, name, routingKey);
    routingKey = `*.${routingKey}`;
  }
  routingKey = '0.#';
  for (let level = CELERY_DELAY_BITS - 1; level > 0; level--) {
    await channel.bindExchange(
      celeryDelayLevel(level - 1, prefix),
      celeryDelayLevel(level, prefix),
      routingKey,
    );
    routingKey = `*.${routingKey}`;
  }
  const delivery = celeryDelayDeliveryExchange(prefix);
  await channel.assertExchange(delivery, 'topic', { durable: true });
  await channel.bindExchange(delivery, celeryDelayLevel(0, prefix), routingKey);
}

/**
 * kombu's `bind_queue_to_native_delayed_delivery_exchange` for a queue Celery declares
 * (exchange and routing key both the queue's name): the delivery exchange to the queue's
 * exchange, and the queue to its exchange, both with `#.<routing key>`.
 */
export async function bindToCeleryDelayedDelivery(
  channel: Channel,
  queue: string,
  prefix?: string,
): Promise<void> {
  const routingKey = `#.${queue}`;
  await channel.bindExchange(
    queue,
    celeryDelayDeliveryExchange(prefix),
    routingKey,
  );
  await channel.bindQueue(queue, queue, routingKey);
}
