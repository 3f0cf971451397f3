/** A schedule that cannot be built: a bad cron expression, interval or time zone. */
export class InvalidScheduleError extends Error {
  override readonly name = 'InvalidScheduleError';
}

/** Two schedules with one name (two @Periodic, or addSchedule of a name in use). */
export class DuplicateScheduleError extends Error {
  override readonly name = 'DuplicateScheduleError';
  constructor(scheduleName: string, first: string, second: string) {
    super(
      `Schedule name "${scheduleName}" is used twice: by ${first} and by ${second}. ` +
        `Give one of them another \`scheduleName\`.`,
    );
  }
}

/** The registry has no schedule by that name. */
export class ScheduleNotFoundError extends Error {
  override readonly name = 'ScheduleNotFoundError';
  constructor(readonly scheduleName: string) {
    super(`No schedule named "${scheduleName}"`);
  }
}

/** Beat cannot run as configured (e.g. no store for its tick lock). */
export class BeatConfigurationError extends Error {
  override readonly name = 'BeatConfigurationError';
}
