import { EventBus, EventMessage } from '../transports/event-bus';
import { eventGroup } from './celery-event';

/** What the dispatcher logs through. */
export interface EventLogger {
  warn(message: string): void;
}

/** Most task events in one `task.multi` message. */
const MAX_BATCH = 200;
/** How long task events wait to be sent with those that follow them (ms). */
const FLUSH_MS = 10;
/** How long the UTC offset is reused before it is read again (ms). */
const OFFSET_TTL_MS = 60_000;

/**
 * Celery's EventDispatcher: builds each event (type, hostname, timestamp, utcoffset,
 * pid, clock, fields) and publishes it. Task events are buffered and sent together
 * as `task.multi` lists (Celery's worker buffers its `task` group the same way) at
 * most 10 ms after the first of them, in one round trip, so a busy worker publishes a
 * few messages per 10 ms, not one per event; other events go out at once. A publish that fails is
 * dropped (events are not stored anywhere) and logged once until one succeeds again.
 *
 * Each event is written as JSON text when it is sent and buffered as text: a worker
 * sends three per task, and building objects for JSON.stringify to walk later cost
 * about twice as much CPU and garbage (bench section `events`).
 */
export class EventDispatcher {
  private clock = 0;
  private buffer: string[] = [];
  private flushScheduled = false;
  private failing = false;
  private offset = { hours: 0, until: 0 };
  private readonly pending = new Set<Promise<void>>();
  /** `,"hostname":"<node>"`, written once. */
  private readonly hostnameField: string;

  constructor(
    private readonly bus: EventBus,
    readonly hostname: string,
    private readonly logger: EventLogger,
  ) {
    this.hostnameField = `,"hostname":${JSON.stringify(hostname)}`;
  }

  /** Sends one event (`fields` becomes it): task events in the next `task.multi`, the others now. */
  send(type: string, fields: Record<string, unknown> = {}): void {
    this.sendJson(type, JSON.stringify(fields).slice(1, -1));
  }

  /**
   * `send` with the fields already written as JSON members without the braces
   * (`"uuid":"a1","runtime":0.5`, or '' for none): the task events' hot path.
   */
  sendJson(type: string, fieldsJson: string): void {
    const event = this.build(type, fieldsJson);
    if (eventGroup(type) === 'task') {
      this.buffer.push(event);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setTimeout(() => this.flush(), FLUSH_MS).unref();
      }
      return;
    }
    this.publish([{ routingKey: type.replace(/-/g, '.'), json: event }]);
  }

  /** Publishes the buffered task events now. */
  flush(): void {
    this.flushScheduled = false;
    if (this.buffer.length === 0) return;
    const events = this.buffer;
    this.buffer = [];
    const messages: EventMessage[] = [];
    for (let i = 0; i < events.length; i += MAX_BATCH)
      messages.push({
        routingKey: 'task.multi',
        json: `[${events.slice(i, i + MAX_BATCH).join(',')}]`,
      });
    this.publish(messages);
  }

  /** Flushes and waits for every publish in flight. */
  async drain(): Promise<void> {
    this.flush();
    await Promise.all([...this.pending]);
  }

  /** The event's JSON: its fields, then Celery's common ones (type last, as before). */
  private build(type: string, fieldsJson: string): string {
    const common =
      `${this.hostnameField},"utcoffset":${this.utcOffset()},"pid":${process.pid}` +
      `,"clock":${++this.clock},"timestamp":${Date.now() / 1000},"type":${JSON.stringify(type)}}`;
    // `common` starts with a comma: without fields, drop it.
    return fieldsJson === ''
      ? `{${common.slice(1)}`
      : `{${fieldsJson}${common}`;
  }

  private utcOffset(): number {
    const now = Date.now();
    if (now >= this.offset.until)
      this.offset = { hours: utcOffsetHours(), until: now + OFFSET_TTL_MS };
    return this.offset.hours;
  }

  private publish(messages: EventMessage[]): void {
    const sent = this.bus.publishEvents(messages, this.hostname).then(
      () => {
        this.failing = false;
      },
      (error: unknown) => {
        if (this.failing) return;
        this.failing = true;
        this.logger.warn(
          `Could not publish events (dropped until the broker takes them again): ${String(error)}`,
        );
      },
    );
    this.pending.add(sent);
    void sent.finally(() => this.pending.delete(sent));
  }
}

/** Python's `utcoffset()`: hours west of UTC, floored (time.timezone // 3600). */
export function utcOffsetHours(now: Date = new Date()): number {
  return Math.floor(now.getTimezoneOffset() / 60);
}
