/**
 * One message on Celery's event exchange (`celeryev`): a single event (worker events,
 * `task-sent`) under its type with `-` turned into `.` (`worker.heartbeat`), or a list
 * of task events under `task.multi`, as Celery's EventDispatcher batches them.
 */
export interface EventMessage {
  routingKey: string;
  body: Record<string, unknown> | Record<string, unknown>[];
}

export interface EventSubscription {
  close(): Promise<void>;
}

/** What a subscriber hears: a decoded message body, or why a message did not decode. */
export type EventDelivery =
  { ok: true; body: unknown } | { ok: false; reason: string };

/**
 * Celery's monitoring events on a broker: workers publish, monitors (`celery events`,
 * Flower, `TaskEvents`) listen. Nothing is stored: an event nobody listens to is lost,
 * as with Celery.
 *
 * - memory: every transport on the same MemoryBroker hears it.
 * - Redis: kombu's fanout, `PUBLISH <keyPrefix>/<db>.celeryev/<routing key>` of kombu's
 *   envelope (body = JSON, base64; headers `{hostname}`); heard with
 *   `PSUBSCRIBE <keyPrefix>/<db>.celeryev/*` on a connection of its own.
 * - AMQP: the `celeryev` topic exchange (durable), transient messages; each subscriber
 *   binds an exclusive, auto-delete `celeryev.<uuid>` queue with `#`
 *   (`x-message-ttl` 5000, `x-expires` 60000, as Celery's receiver).
 */
export interface EventBus {
  /**
   * Publishes the messages in order, in one round trip when the broker allows it.
   * `hostname` (the sender's node name) goes in the message headers, as Celery's.
   */
  publishEvents(
    messages: readonly EventMessage[],
    hostname: string,
  ): Promise<void>;
  /** Calls `handler` with every message published after this resolves. */
  subscribeEvents(
    handler: (delivery: EventDelivery) => void,
  ): Promise<EventSubscription>;
}

export function isEventBus(value: unknown): value is EventBus {
  const candidate = value as Partial<EventBus> | null;
  return (
    typeof candidate?.publishEvents === 'function' &&
    typeof candidate.subscribeEvents === 'function'
  );
}

/** Celery's event exchange. */
export const EVENT_EXCHANGE = 'celeryev';
