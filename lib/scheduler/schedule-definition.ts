import { Duration } from '../common/duration';
import { CatchUpPolicy } from '../options/periodic-options';
import { Schedule } from './schedule';

/** One schedule beat knows: what to send, and when. */
export interface ScheduleDefinition {
  /** The schedule's name: the registry's key and the tick lock's. */
  name: string;
  /** The task sent on each tick, by name. */
  task: string;
  schedule: Schedule;
  args: unknown[];
  kwargs?: Record<string, unknown>;
  /** Per-run send options; the task's own apply when absent. */
  queue?: string;
  priority?: number;
  expires?: Duration;
  /** Overrides beat's catch-up policy for this schedule. */
  catchUp?: CatchUpPolicy;
  /** 'decorator' (@Periodic) or 'runtime' (ScheduleRegistry.addSchedule). */
  source: 'decorator' | 'runtime';
  /** Where it was declared, for errors: `ReportTasks.hourly` or `addSchedule`. */
  origin: string;
}
