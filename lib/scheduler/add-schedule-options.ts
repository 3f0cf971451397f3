import { Duration } from '../common/duration';
import { PeriodicRunOptions, ScheduleSpec } from '../options/periodic-options';

/** `ScheduleRegistry.addSchedule({...})`: a schedule made at runtime. */
export type AddScheduleOptions = ScheduleSpec &
  PeriodicRunOptions & {
    /** The schedule's name (unique in the registry, and the tick lock's key). */
    name: string;
    /** The task to send, by name; it need not be registered in this process. */
    task: string;
    queue?: string;
    priority?: number;
    expires?: Duration;
  };
