import { toMilliseconds } from '../common/duration';
import { ScheduleSpec } from '../options/periodic-options';
import { CronSchedule } from './cron-schedule';
import { IntervalSchedule } from './interval-schedule';
import { InvalidScheduleError } from './errors';
import { Schedule } from './schedule';

/** The schedule of `@Periodic({ every })` or `@Periodic({ cron, timezone })`, checked. */
export function createSchedule(spec: ScheduleSpec): Schedule {
  const { every, cron, timezone } = spec as {
    every?: unknown;
    cron?: unknown;
    timezone?: unknown;
  };
  if (every !== undefined && cron !== undefined) {
    throw new InvalidScheduleError('give either `every` or `cron`, not both');
  }
  if (cron !== undefined) {
    if (timezone !== undefined && typeof timezone !== 'string') {
      throw new InvalidScheduleError(
        `time zone must be a string, got ${JSON.stringify(timezone)}`,
      );
    }
    return new CronSchedule(cron as string, timezone ?? 'UTC');
  }
  if (every === undefined) {
    throw new InvalidScheduleError(
      'a schedule needs `every` (an interval) or `cron` (an expression)',
    );
  }
  if (timezone !== undefined) {
    throw new InvalidScheduleError(
      '`timezone` is for cron schedules; intervals are absolute',
    );
  }
  return new IntervalSchedule(
    intervalMs(every),
    typeof every === 'number' ? `${every}ms` : (every as string),
  );
}

function intervalMs(every: unknown): number {
  if (typeof every !== 'number' && typeof every !== 'string') {
    throw new InvalidScheduleError(
      `interval ${JSON.stringify(every)} is not a number of ms or a duration`,
    );
  }
  try {
    return toMilliseconds(every as never, 'ms', 'interval');
  } catch (error) {
    throw new InvalidScheduleError((error as Error).message);
  }
}
