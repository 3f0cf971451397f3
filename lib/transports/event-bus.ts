import { EventJsonWriter } from '../protocol/event-json-writer';

/**
 * One message on Celery's event exchange (`celeryev`): a single event (worker events)
 * under its type with `-` turned into `.` (`worker.heartbeat`), or a list of task
 * events under `task.multi`, as Celery's EventDispatcher batches them. (Celeriac's
 * dispatcher writes its lists through `openEventList`; a list body here is for
 * anyone publishing one already made.)
 */
export interface EventMessage {
  routingKey: string;
  body: Record<string, unknown> | Record<string, unknown>[];
}

/** Task events written as they come, to be published as one `task.multi` message. */
export interface EventList {
  /** Where its events are written, placed as this broker's message needs them. */
  readonly writer: EventJsonWriter;
}

/** A list written as plain JSON, the body the memory and AMQP buses send. */
export function openJsonEventList(): EventList {
  return { writer: new EventJsonWriter('bare') };
}

/** The JSON bytes of a list from `openJsonEventList`; nothing more may be added to it. */
export function jsonEventListBytes(list: EventList): Buffer {
  const { writer } = list;
  const { buffer, end } = writer.finish();
  return buffer.subarray(writer.headRoom, end);
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
 *   envelope (headers `{hostname}`; body = JSON, in base64, or as text with
 *   `body_encoding` null for `task.multi` lists, which kombu reads as it is); heard with
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
  /** A new `task.multi` list, written in this broker's format as events are added. */
  openEventList(): EventList;
  /** Publishes lists this bus opened, in order, each as one `task.multi` message. */
  publishEventLists(
    lists: readonly EventList[],
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
