import { Duration } from '../common/duration';
import { PeriodicRunOptions, ScheduleSpec } from '../options/periodic-options';
import { createSchedule } from './create-schedule';
import { InvalidScheduleError } from './errors';
import { checkCatchUp } from './resolve-beat-options';
import { ScheduleDefinition } from './schedule-definition';

export interface DefinitionInput extends PeriodicRunOptions {
  spec: ScheduleSpec;
  name: string;
  task: string;
  queue?: string;
  priority?: number;
  expires?: Duration;
  source: ScheduleDefinition['source'];
  /** Where it comes from, first in error messages: `@Periodic on ReportTasks.hourly`. */
  origin: string;
}

/** A checked definition; a bad schedule throws InvalidScheduleError naming the origin and value. */
export function toDefinition(input: DefinitionInput): ScheduleDefinition {
  try {
    if (input.catchUp !== undefined) checkCatchUp(input.catchUp, 'catchUp');
    if (input.args !== undefined && !Array.isArray(input.args)) {
      throw new InvalidScheduleError(
        `args must be an array, got ${JSON.stringify(input.args)}`,
      );
    }
    return {
      name: input.name,
      task: input.task,
      schedule: createSchedule(input.spec),
      args: input.args ?? [],
      kwargs: input.kwargs,
      queue: input.queue,
      priority: input.priority,
      expires: input.expires,
      catchUp: input.catchUp,
      source: input.source,
      origin: input.origin,
    };
  } catch (error) {
    throw new InvalidScheduleError(
      `${input.origin}: ${(error as Error).message}`,
    );
  }
}
