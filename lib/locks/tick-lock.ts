/**
 * Where beats agree on who enqueues a tick, and remember what they did. Every beat of
 * a fleet uses the same store (Redis; memory for one process), so each tick of each
 * schedule is enqueued once however many beats run, and a restarted beat neither
 * repeats a tick nor forgets the ones it missed.
 *
 * Per schedule the store keeps:
 * - `handled`: the latest tick dealt with (enqueued, or skipped by the catch-up policy).
 *   It only moves forward. A tick at or before it is never claimed again.
 * - `lastRun`: the latest tick enqueued.
 * - `paused`: set by ScheduleRegistry.pause for the whole fleet.
 * - claims: `(schedule, tick)` -> owner, for `ttlMs`, taken with `SET key NX PX`.
 * Beside them, the catalogue of the fleet's schedules (`publishSchedules`).
 *
 * Times are milliseconds since the Unix epoch.
 */
export interface TickLock {
  /** 'memory' | 'redis': for logs. */
  readonly kind: string;

  /**
   * The schedule's state. A schedule the store has never seen starts at `baseline`
   * (the latest past tick: its first run is the next one), written only if no other
   * beat wrote one first, so every beat starts from the same place.
   */
  state(schedule: string, baseline: number): Promise<ScheduleState>;

  /** The schedule's state, or undefined if no beat has seen it yet. Writes nothing. */
  peek(schedule: string): Promise<ScheduleState | undefined>;

  /**
   * Claims `tick` for `owner`: true for exactly one caller while `tick` is after
   * `handled` and no unexpired claim on it exists (checked and taken atomically).
   * The claim lasts `ttlMs`: a beat that dies between claiming and `complete` leaves
   * the tick to be claimed again once it expires.
   */
  claim(
    schedule: string,
    tick: number,
    owner: string,
    ttlMs: number,
  ): Promise<boolean>;

  /** Gives a claim back (the enqueue failed), if `owner` still holds it. */
  release(schedule: string, tick: number, owner: string): Promise<void>;

  /**
   * Records `tick` as handled (handled = max(handled, tick)), and as the last run
   * when `ran`. Claims on ticks at or before `handled` no longer matter.
   */
  complete(schedule: string, tick: number, ran: boolean): Promise<void>;

  /**
   * Pauses or resumes a schedule fleet-wide. `latestTick` is the schedule's latest past
   * tick: the baseline of a schedule never seen, and where resuming moves `handled` up
   * to, so that ticks that passed while paused are not caught up.
   */
  setPaused(
    schedule: string,
    paused: boolean,
    latestTick: number,
  ): Promise<void>;

  /**
   * The catalogue of schedules, for tools that do not have the beats' code (the CLI's
   * `schedules list`): each beat writes its schedules here when it starts and when one
   * is added or changed, and removes one deleted at runtime. Keyed by name; the last
   * writer wins (every beat of a fleet runs the same schedules).
   */
  publishSchedules(entries: readonly PublishedSchedule[]): Promise<void>;
  /** Removes a schedule from the catalogue. */
  unpublishSchedule(schedule: string): Promise<void>;
  /** The catalogue, in no particular order. */
  publishedSchedules(): Promise<PublishedSchedule[]>;

  close(): Promise<void>;
}

/** A schedule as a beat published it: plain JSON data, enough to list and rebuild it. */
export interface PublishedSchedule {
  name: string;
  task: string;
  /** `{ every: <ms> }` or `{ cron, timezone }`, as createSchedule takes them. */
  spec: { every: number } | { cron: string; timezone: string };
  description: string;
  args: unknown[];
  queue?: string;
  source: 'decorator' | 'runtime';
  /** The beat that wrote it last, and when (epoch ms). */
  publishedBy: string;
  publishedAt: number;
}

export interface ScheduleState {
  handled: number;
  lastRun: number | null;
  paused: boolean;
}
