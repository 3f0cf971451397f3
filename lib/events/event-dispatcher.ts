import { EventBus, EventMessage } from '../transports/event-bus';
import { eventGroup } from './celery-event';

/** What the dispatcher logs through. */
export interface EventLogger {
  warn(message: string): void;
}

/** Most task events in one `task.multi` message. */
const MAX_BATCH = 100;

/**
 * Celery's EventDispatcher: builds each event (type, hostname, timestamp, utcoffset,
 * pid, clock, fields) and publishes it. Task events are buffered and sent once per
 * turn of the event loop as `task.multi` lists (Celery's worker flushes its `task`
 * buffer group on the next loop iteration too), so a busy worker publishes one message
 * per turn, not one per event; other events go out at once. A publish that fails is
 * dropped (events are not stored anywhere) and logged once until one succeeds again.
 */
export class EventDispatcher {
  private clock = 0;
  private buffer: Record<string, unknown>[] = [];
  private flushScheduled = false;
  private failing = false;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly bus: EventBus,
    readonly hostname: string,
    private readonly logger: EventLogger,
  ) {}

  /** Sends one event: task events in the next `task.multi`, the others now. */
  send(type: string, fields: Record<string, unknown> = {}): void {
    const event = this.build(type, fields);
    if (eventGroup(type) === 'task') {
      this.buffer.push(event);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
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

  private build(
    type: string,
    fields: Record<string, unknown>,
  ): Record<string, unknown> {
    return {
      hostname: this.hostname,
      utcoffset: utcOffsetHours(),
      pid: process.pid,
      clock: ++this.clock,
      ...fields,
      timestamp: Date.now() / 1000,
      type,
    };
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
