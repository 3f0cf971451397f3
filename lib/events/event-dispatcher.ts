import { EventBus, EventList, EventMessage } from '../transports/event-bus';
import { EventJsonWriter, JsonFragment } from '../protocol/event-json-writer';

/** What the dispatcher logs through. */
export interface EventLogger {
  warn(message: string): void;
}

/**
 * Most task events in one `task.multi` message (about 60 KB; 1000, one PUBLISH per
 * flush, measured no cheaper in the worker: bench/README.md).
 */
const MAX_BATCH = 200;
/** How long task events wait to be sent with those that follow them (ms). */
const FLUSH_MS = 10;
/** How long the UTC offset is reused before it is read again (ms). */
const OFFSET_TTL_MS = 60_000;

/**
 * Celery's EventDispatcher: builds each event (type, hostname, timestamp, utcoffset,
 * pid, clock, fields) and publishes it. Task events are sent together as `task.multi`
 * lists (Celery's worker buffers its `task` group the same way) at most 10 ms after
 * the first of them, in one round trip, so a busy worker publishes a few messages per
 * 10 ms, not one per event; each is written into its list's bytes as it comes (the
 * bus's `EventList`: the broker's framing around it), so nothing of it waits as an
 * object. Other events go out at once. A publish that fails is dropped (events are
 * not stored anywhere) and logged once until one succeeds again.
 */
export class EventDispatcher {
  private clock = 0;
  private lists: EventList[] = [];
  private flushScheduled = false;
  private failing = false;
  private unwritable = false;
  private offset = { hours: 0, until: 0 };
  private sender = { fields: '', until: 0 };
  private head = { ms: -1, fragment: new JsonFragment('') };
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly bus: EventBus,
    readonly hostname: string,
    private readonly logger: EventLogger,
  ) {}

  /**
   * Sends one event (`fields` becomes it): task events in the next `task.multi`, the
   * others now. Never throws: a task event JSON cannot write (a BigInt) is dropped and
   * logged once, as a publish that fails is.
   */
  send(type: string, fields: Record<string, unknown> = {}): void {
    const event = this.build(type, fields);
    if (!type.startsWith('task-')) {
      this.publish([{ routingKey: type.replace(/-/g, '.'), body: event }]);
      return;
    }
    try {
      this.openList().writer.add(event);
    } catch (error) {
      if (this.unwritable) return;
      this.unwritable = true;
      this.logger.warn(
        `Could not write a ${type} event (dropped; logged once): ${String(error)}`,
      );
    }
  }

  /**
   * Starts a task event in the next `task.multi` and writes what every event carries
   * (hostname, utcoffset, pid, timestamp, clock, type); the caller writes its own
   * fields and closes it. No object is made for the event: the busy path's way.
   */
  taskEvent(type: TaskEventType): EventJsonWriter {
    return this.openList().writer.openEvent(
      this.headAt(Date.now()),
      ++this.clock,
      type.fragment,
    );
  }

  /** Publishes the buffered task events now. */
  flush(): void {
    this.flushScheduled = false;
    const lists = this.lists.filter((list) => list.writer.count > 0);
    this.lists = [];
    if (lists.length > 0)
      this.track(this.bus.publishEventLists(lists, this.hostname));
  }

  /** Flushes and waits for every publish in flight. */
  async drain(): Promise<void> {
    this.flush();
    await Promise.all([...this.pending]);
  }

  /** The list task events go to, a new one when the last is full; the flush is set. */
  private openList(): EventList {
    let list = this.lists[this.lists.length - 1];
    if (list === undefined || list.writer.count >= MAX_BATCH) {
      list = this.bus.openEventList();
      this.lists.push(list);
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setTimeout(() => this.flush(), FLUSH_MS).unref();
    }
    return list;
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

  /**
   * `"hostname":...,"utcoffset":...,"pid":...,"timestamp":...,"clock":`, the same
   * for every event of one millisecond: made once for them (a busy worker's few dozen;
   * a quiet one makes it for each event, which costs it about as much as before).
   */
  private headAt(now: number): JsonFragment {
    if (now !== this.head.ms)
      this.head = {
        ms: now,
        fragment: new JsonFragment(
          `${this.senderFields(now)},"timestamp":${now / 1000},"clock":`,
        ),
      };
    return this.head.fragment;
  }

  /** `"hostname":...,"utcoffset":...,"pid":...`, made again when the offset is read again. */
  private senderFields(now: number): string {
    if (now >= this.sender.until) {
      const hours = this.utcOffset(now);
      this.sender = {
        fields:
          `"hostname":${JSON.stringify(this.hostname)},"utcoffset":${hours}` +
          `,"pid":${process.pid}`,
        until: this.offset.until,
      };
    }
    return this.sender.fields;
  }

  private utcOffset(now: number): number {
    if (now >= this.offset.until)
      this.offset = { hours: utcOffsetHours(), until: now + OFFSET_TTL_MS };
    return this.offset.hours;
  }

  private publish(messages: EventMessage[]): void {
    this.track(this.bus.publishEvents(messages, this.hostname));
  }

  private track(publishing: Promise<void>): void {
    const sent = publishing.then(
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

/** A task event's type, its `"type"` field written in advance. */
export interface TaskEventType {
  readonly name: string;
  readonly fragment: JsonFragment;
}

/** A task event's type; `then` is JSON text written right after it (the next key). */
export function taskEventType(name: string, then = ''): TaskEventType {
  return {
    name,
    fragment: new JsonFragment(`,"type":${JSON.stringify(name)}${then}`),
  };
}

/** Python's `utcoffset()`: hours west of UTC, floored (time.timezone // 3600). */
export function utcOffsetHours(now: Date = new Date()): number {
  return Math.floor(now.getTimezoneOffset() / 60);
}
