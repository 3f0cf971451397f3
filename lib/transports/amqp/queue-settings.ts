import { AmqpTransportOptions, defaultDeadLetterQueue } from './amqp-options';
import { CeleryQueueSettings } from './celery-declarations';
import { AmqpConfigurationError } from '../../drivers/amqp/errors';

/**
 * How each queue is declared, from the transport's options: its own `queues.<name>`
 * entry over `queueMaxPriority` and `queueType`. Combinations RabbitMQ would refuse are
 * refused here, when the transport is made, naming the queue and the options.
 */
export function queueSettingsOf(
  options: AmqpTransportOptions,
): (queue: string) => CeleryQueueSettings {
  const deadLetterQueue = options.deadLetterQueue ?? defaultDeadLetterQueue;
  // Celery 5.5's detect_quorum_queues: any configured queue of type quorum.
  const anyQuorum =
    options.queueType === 'quorum' ||
    Object.values(options.queues ?? {}).some(
      (queue) => queue.queueType === 'quorum',
    );
  const resolve = (queue: string): CeleryQueueSettings => {
    const own = options.queues?.[queue] ?? {};
    const queueType = own.queueType ?? options.queueType ?? 'classic';
    const maxPriority =
      own.maxPriority ??
      (queueType === 'classic' ? options.queueMaxPriority : undefined);
    const exchangeType = own.exchangeType ?? options.exchangeType ?? 'direct';
    return {
      queueType,
      exchangeType,
      celeryDelays: anyQuorum && exchangeType !== 'direct',
      maxPriority,
      deliveryLimit: own.deliveryLimit,
      deadLetterQueue: deadLetterQueue(queue),
    };
  };
  for (const queue of Object.keys(options.queues ?? {}))
    check(queue, resolve(queue));
  return resolve;
}

function check(queue: string, settings: CeleryQueueSettings): void {
  const where = `brokerOptions.queues[${JSON.stringify(queue)}]`;
  if (settings.queueType === 'quorum' && settings.maxPriority !== undefined)
    throw new AmqpConfigurationError(
      `${where}: maxPriority needs a classic queue; RabbitMQ refuses x-max-priority on a quorum queue`,
    );
  if (settings.deliveryLimit === undefined) return;
  if (settings.queueType !== 'quorum')
    throw new AmqpConfigurationError(
      `${where}: deliveryLimit needs queueType 'quorum' (x-delivery-limit is a quorum queue argument)`,
    );
  if (!Number.isInteger(settings.deliveryLimit) || settings.deliveryLimit < 0)
    throw new AmqpConfigurationError(
      `${where}: deliveryLimit must be a whole number >= 0, not ${settings.deliveryLimit}`,
    );
}
