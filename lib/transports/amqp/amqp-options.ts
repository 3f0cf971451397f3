import { AmqpConnectionOptions } from '../../drivers/amqp/connection-options';

/** Per-queue declaration settings, as Celery's `task_queues`. */
export interface AmqpQueueOptions {
  /** Declares the queue with `x-max-priority` (Celery's `Queue(..., max_priority=n)`). Classic queues only. */
  maxPriority?: number;
  /**
   * `quorum` declares the queue with `x-queue-type: quorum`, as Celery 5.5 does with
   * `Queue(..., queue_arguments={'x-queue-type': 'quorum'})` or `task_default_queue_type`.
   * Default: the transport's `queueType`.
   */
  queueType?: 'classic' | 'quorum';
  /**
   * Quorum queues: `x-delivery-limit`. A message delivered this many times more without
   * an ack (worker crashes, requeues) is dead-lettered by RabbitMQ into the queue's
   * dead-letter queue (`x-dead-letter-exchange: ''`, `x-dead-letter-routing-key`,
   * `x-dead-letter-strategy: at-least-once`, `x-overflow: reject-publish`).
   */
  deliveryLimit?: number;
  /**
   * Type of the exchange named like the queue (Celery's `Queue(name, Exchange(name,
   * type=...))`, `task_create_missing_queue_exchange_type`). `topic` lets delays use
   * Celery 5.5's native delayed delivery when quorum queues are configured. Default:
   * the transport's `exchangeType`.
   */
  exchangeType?: 'direct' | 'topic';
}

export interface AmqpTransportOptions extends AmqpConnectionOptions {
  /**
   * How long `publish` (and dead-lettering, deferring) waits for the broker during an
   * outage before it rejects, in ms. Default 10000.
   */
  publishTimeoutMs?: number;
  /** `x-max-priority` for every queue (Celery's `task_queue_max_priority`). Default none. */
  queueMaxPriority?: number;
  /**
   * Type of every queue not named in `queues` (Celery 5.5's `task_default_queue_type` /
   * `task_create_missing_queue_type`). Default `classic`.
   */
  queueType?: 'classic' | 'quorum';
  /** Type of every queue's own exchange not named in `queues`. Default `direct` (Celery's). */
  exchangeType?: 'direct' | 'topic';
  /**
   * Queue type of Celery 5.5's `celery_delayed_*` levels
   * (`broker_native_delayed_delivery_queue_type`). Default `quorum`.
   */
  celeryDelayQueueType?: 'classic' | 'quorum';
  /** kombu's prefix of the `celery_delayed_*` names (`<prefix>_celery_delayed_k`). Default none. */
  celeryDelayPrefix?: string;
  /** Settings of named queues; they win over `queueMaxPriority`, `queueType` and `exchangeType`. */
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
   * is no longer fair across queues (Celery's behaviour). Quorum queues refuse global QoS:
   * a consumer of a quorum queue leaves it off, as Celery 5.5 does
   * (`worker_detect_quorum_queues`). Default false.
   */
  globalQos?: boolean;
}

export const DEFAULT_DELAY_PREFIX = 'celeriac.delay';

export function defaultDeadLetterQueue(queue: string): string {
  return `${queue}.dead`;
}
