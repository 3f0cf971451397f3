import { PublishedSchedule } from '../locks/tick-lock';
import { CronSchedule } from './cron-schedule';
import { IntervalSchedule } from './interval-schedule';
import { ScheduleDefinition } from './schedule-definition';

/** What a beat writes to the catalogue for one of its schedules. */
export function publishedOf(
  definition: ScheduleDefinition,
  publishedBy: string,
  now: number,
): PublishedSchedule | undefined {
  const { schedule } = definition;
  let spec: PublishedSchedule['spec'];
  if (schedule instanceof IntervalSchedule) spec = { every: schedule.everyMs };
  else if (schedule instanceof CronSchedule)
    spec = { cron: schedule.cron, timezone: schedule.timezone };
  else return undefined; // a kind the catalogue cannot describe
  return {
    name: definition.name,
    task: definition.task,
    spec,
    description: schedule.description,
    args: [...definition.args],
    queue: definition.queue,
    source: definition.source,
    publishedBy,
    publishedAt: now,
  };
}

/** A schedule of the catalogue as a definition, to show it where its code is not. */
export function definitionOf(entry: PublishedSchedule): ScheduleDefinition {
  const schedule =
    'every' in entry.spec
      ? new IntervalSchedule(
          entry.spec.every,
          entry.description.replace(/^every /, ''),
        )
      : new CronSchedule(entry.spec.cron, entry.spec.timezone);
  return {
    name: entry.name,
    task: entry.task,
    schedule,
    args: entry.args,
    queue: entry.queue,
    source: entry.source,
    origin: `published by ${entry.publishedBy}`,
  };
}
