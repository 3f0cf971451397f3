import { Duration } from '../common/duration';
import { TaskOptions } from './task-options';

/** What beat does with ticks missed while no beat ran (or while it could not publish). */
export type CatchUpPolicy = 'none' | 'one' | 'all';

/** When a schedule fires: every fixed interval, or on a cron expression. */
export type ScheduleSpec = IntervalSpec | CronSpec;

/** A schedule that fires every fixed interval: `{ every: '15m' }`. */
export interface IntervalSpec {
  /**
   * Milliseconds (a number) or a duration ('30s', '15m', '1h'). Ticks are aligned on
   * multiples of the interval since the Unix epoch (`'15m'` fires at :00, :15, :30, :45
   * UTC), so every beat and every restart agrees on the tick times.
   */
  every: Duration;
  cron?: never;
  timezone?: never;
}

/** A schedule that fires on a cron expression: `{ cron: '0 6 * * *', timezone }`. */
export interface CronSpec {
  /** 5 fields (minute first) or 6 (second first), as cron-parser reads them; `@hourly` too. */
  cron: string;
  /** An IANA time zone such as 'Europe/Paris'. Default UTC. */
  timezone?: string;
  every?: never;
}

/** What a schedule sends on each tick, beside the task's own options. */
export interface PeriodicRunOptions {
  /** Positional arguments of each run. Default none. */
  args?: unknown[];
  /** Keyword arguments of each run (for tasks written in Python). */
  kwargs?: Record<string, unknown>;
  /** Ticks missed while no beat ran. Default: the beat's option, itself 'one' (as Celery). */
  catchUp?: CatchUpPolicy;
}

/**
 * `@Periodic({...})`: a schedule plus, when the method has no `@Task`, the task's own
 * options (name, queue, priority, acksLate, ignoreResult, expires).
 */
export type PeriodicOptions = ScheduleSpec &
  PeriodicRunOptions &
  TaskOptions & {
    /**
     * The schedule's name in the ScheduleRegistry and in the tick lock. Default: the
     * task's name. Give one to put several @Periodic on one method.
     */
    scheduleName?: string;
  };

/** What `@Periodic` stores on the method (one entry per decorator). */
export type PeriodicMetadata = PeriodicOptions;

export const PERIODIC_METADATA = 'celeriac:periodic';
