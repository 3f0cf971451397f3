import { CatchUpPolicy } from '../options/periodic-options';

/** A schedule as ScheduleRegistry shows it: plain data, fit for an admin endpoint. */
export interface ScheduleInfo {
  name: string;
  task: string;
  kind: 'interval' | 'cron';
  /** `every 15m`, `cron "0 * * * *" in Europe/Paris`. */
  description: string;
  args: unknown[];
  queue?: string;
  catchUp?: CatchUpPolicy;
  source: 'decorator' | 'runtime';
  /** Paused fleet-wide (ScheduleRegistry.pauseSchedule). */
  paused: boolean;
  /** The next tick it will run at; null while paused. */
  nextRunAt: Date | null;
  /** The tick of its last run, by any beat; null when it never ran (or no store is configured). */
  lastRunAt: Date | null;
}
