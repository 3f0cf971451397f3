import type { CronExpression, CronExpressionParser } from 'cron-parser';

/** cron-parser (and luxon under it), loaded by the first cron schedule, not by workers. */
function cronParser(): typeof CronExpressionParser {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('cron-parser') as typeof import('cron-parser'))
    .CronExpressionParser;
}
import { InvalidScheduleError } from './errors';
import { Schedule } from './schedule';

/**
 * A cron expression in a time zone, read by cron-parser: 5 fields (minute first) or 6
 * (second first), or an alias such as `@hourly`. Daylight saving changes are cron-parser's:
 * on a spring-forward day a time that does not exist (02:30 in Paris) fires once, an hour
 * later by the wall clock; on a fall-back day a time that exists twice fires once, the
 * first time; `0 * * * *` fires every real hour (23 or 25 runs that day).
 */
export class CronSchedule implements Schedule {
  readonly kind = 'cron';
  readonly description: string;
  private readonly expression: CronExpression;

  constructor(
    readonly cron: string,
    readonly timezone = 'UTC',
  ) {
    checkFieldCount(cron);
    checkTimeZone(timezone);
    try {
      this.expression = cronParser().parse(cron.trim(), {
        tz: timezone,
      });
      this.expression.next(); // an expression that never matches (30 February) throws here
    } catch (error) {
      throw new InvalidScheduleError(
        `cron expression ${JSON.stringify(cron)} is not valid: ${(error as Error).message}`,
      );
    }
    this.description = `cron ${JSON.stringify(cron)} in ${timezone}`;
  }

  next(after: number): number {
    this.expression.reset(new Date(after));
    return this.expression.next().getTime();
  }

  previous(atOrBefore: number): number | undefined {
    // prev() is strictly before its start; cron-parser's resolution is one second.
    this.expression.reset(new Date(atOrBefore + 1));
    let tick: number;
    try {
      tick = this.expression.prev().getTime();
    } catch {
      return undefined;
    }
    // prev() can miss a tick next() gives (02:30 on a spring-forward day, run at 03:30):
    // next() is the reference, so walk forward to its latest tick at or before.
    for (
      let later = this.next(tick);
      later <= atOrBefore;
      later = this.next(later)
    )
      tick = later;
    return tick;
  }
}

function checkFieldCount(cron: string): void {
  if (typeof cron !== 'string') {
    throw new InvalidScheduleError(
      `cron expression must be a string, got ${typeof cron}`,
    );
  }
  const fields = cron.trim().split(/\s+/).filter(Boolean);
  const alias = fields.length === 1 && fields[0].startsWith('@');
  if (!alias && fields.length !== 5 && fields.length !== 6) {
    throw new InvalidScheduleError(
      `cron expression ${JSON.stringify(cron)} has ${fields.length} field(s); use 5 ` +
        `(minute hour day-of-month month day-of-week) or 6 (seconds first)`,
    );
  }
}

function checkTimeZone(timezone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new InvalidScheduleError(
      `time zone ${JSON.stringify(timezone)} is not an IANA time zone (like 'Europe/Paris' or 'UTC')`,
    );
  }
}
