import { AmqpConnectionOptions } from '../../drivers/amqp/connection-options';

/** Per-queue declaration settings, as Celery's `task_queues`. */
export interface AmqpQueueOptions {
  /** Declares the queue with `x-max-priority` (Celery's `Queue(..., max_priority=n)`). */
  maxPriority?: number;
}

export interface AmqpTransportOptions extends AmqpConnectionOptions {
  /**
   * How long `publish` (and dead-lettering, deferring) waits for the broker during an
   * outage before it rejects, in ms. Default 10000.
   */
  publishTimeoutMs?: number;
  /** `x-max-priority` for every queue (Celery's `task_queue_max_priority`). Default none. */
  queueMaxPriority?: number;
  /** Settings of named queues; they win over `queueMaxPriority`. */
  queues?: Record<string, AmqpQueueOptions>;
  /**
   * Largest message body `publish` sends, in bytes: larger ones are refused with
   * MessageTooLargeError. Default 128 MiB, RabbitMQ's `max_message_size` up to 3.13;
   * RabbitMQ 4.0 lowered its default to 16 MiB, so set 16 * 1024 * 1024 there.
   */
  maxMessageSize?: number;
  /** Name prefix of the delay exchanges and queues. Default `celeriac.delay`. */
  delayPrefix?: string;
  /**
   * Queue type of the delay levels. `quorum` makes dead-lettering between levels
   * at-least-once (RabbitMQ >= 3.10); `classic` is lighter. Default `classic`.
   */
  delayQueueType?: 'classic' | 'quorum';
  /** Where dead letters of `queue` go. Default `<queue>.dead`. */
  deadLetterQueue?: (queue: string) => string;
  /**
   * Also bound the consumer channel as a whole (global QoS) to `prefetch + queues - 1`
   * unacked messages. Without it RabbitMQ reserves up to `prefetch` per queue for a consumer
   * of several queues; with it, RabbitMQ refills the queue just acked first, so consumption
   * is no longer fair across queues (Celery's behaviour). Quorum queues refuse global QoS.
   * Default false.
   */
  globalQos?: boolean;
}

export const DEFAULT_DELAY_PREFIX = 'celeriac.delay';

export function defaultDeadLetterQueue(queue: string): string {
  return `${queue}.dead`;
}
