import { EventBus, EventMessage } from '../transports/event-bus';

/** What the dispatcher logs through. */
export interface EventLogger {
  warn(message: string): void;
}

/**
 * Most task events in one `task.multi` message (about 50 KB of base64; 1000, one
 * PUBLISH per flush, measured no cheaper in the worker: bench/README.md).
 */
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
 */
export class EventDispatcher {
  private clock = 0;
  private buffer: Record<string, unknown>[] = [];
  private flushScheduled = false;
  private failing = false;
  private offset = { hours: 0, until: 0 };
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly bus: EventBus,
    readonly hostname: string,
    private readonly logger: EventLogger,
  ) {}

  /** Sends one event (`fields` becomes it): task events in the next `task.multi`, the others now. */
  send(type: string, fields: Record<string, unknown> = {}): void {
    const event = this.build(type, fields);
    if (type.startsWith('task-')) {
      this.buffer.push(event);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setTimeout(() => this.flush(), FLUSH_MS).unref();
      }
      return;
    }
    this.publish([{ routingKey: type.replace(/-/g, '.'), body: event }]);
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
        body: events.slice(i, i + MAX_BATCH),
      });
    this.publish(messages);
  }

  /** Flushes and waits for every publish in flight. */
  async drain(): Promise<void> {
    this.flush();
    await Promise.all([...this.pending]);
  }

  /** Completes `fields` into the event (the callers pass a fresh object: no copy). */
  private build(
    type: string,
    fields: Record<string, unknown>,
  ): Record<string, unknown> {
    const now = Date.now();
    fields.hostname = this.hostname;
    fields.utcoffset = this.utcOffset(now);
    fields.pid = process.pid;
    fields.clock = ++this.clock;
    fields.timestamp = now / 1000;
    fields.type = type;
    return fields;
  }

  private utcOffset(now: number): number {
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
