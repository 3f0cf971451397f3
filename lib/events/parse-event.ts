import { CeleryEvent } from './celery-event';

/**
 * One event of a message body (a body is an event, or a list of them for `task.multi`),
 * checked for the fields every event has; anything else is kept as it came. Returns
 * why when it is not an event. `task-*` events need a `uuid`.
 */
export function parseEvent(value: unknown): CeleryEvent | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return 'not a JSON object';
  const event = value as Record<string, unknown>;
  if (typeof event.type !== 'string' || event.type === '') return 'no "type"';
  if (typeof event.hostname !== 'string')
    return `${event.type} has no "hostname"`;
  if (typeof event.timestamp !== 'number')
    return `${event.type} has no numeric "timestamp"`;
  if (event.type.startsWith('task-') && typeof event.uuid !== 'string')
    return `${event.type} has no "uuid"`;
  return event as unknown as CeleryEvent;
}

/** The events of one message body: a list (`task.multi`) or one event. */
export function eventsOfBody(body: unknown): unknown[] {
  return Array.isArray(body) ? body : [body];
}
