import { InvalidScheduleError } from './errors';
import { Schedule } from './schedule';

/**
 * A tick every `everyMs`, aligned on multiples of it since the Unix epoch (as BullMQ's
 * `every`): every beat, and a beat after a restart, computes the same ticks without
 * sharing a start time. `'15m'` fires at :00, :15, :30 and :45 UTC; `'1d'` at midnight UTC.
 */
export class IntervalSchedule implements Schedule {
  readonly kind = 'interval';
  readonly description: string;

  constructor(
    readonly everyMs: number,
    label = `${everyMs}ms`,
  ) {
    if (!Number.isInteger(everyMs) || everyMs < 1) {
      throw new InvalidScheduleError(
        `interval ${JSON.stringify(label)} must be a whole number of milliseconds, at least 1 ` +
          `(got ${everyMs})`,
      );
    }
    this.description = `every ${label}`;
  }

  next(after: number): number {
    return (Math.floor(after / this.everyMs) + 1) * this.everyMs;
  }

  previous(atOrBefore: number): number {
    return Math.floor(atOrBefore / this.everyMs) * this.everyMs;
  }
}
