import { TASK_METADATA, TaskMetadata } from '../options/task-options';
import {
  PERIODIC_METADATA,
  PeriodicMetadata,
  PeriodicOptions,
} from '../options/periodic-options';

/**
 * Runs a provider method on a schedule, enqueued by beat once per tick across the
 * whole fleet:
 *
 *     @Periodic({ every: '15m' })
 *     @Periodic({ cron: '0 * * * *', timezone: 'Europe/Paris', name: 'reports.hourly' })
 *
 * A periodic method is a task: without `@Task` it is registered as one, with the task
 * options given here (name, queue, priority...), and can be sent by hand too. With an
 * explicit `@Task`, that decorator owns the task's options, and `queue`, `priority`
 * and `expires` here only apply to the scheduled runs. The schedule is checked at
 * bootstrap: a bad cron expression, interval or time zone fails it, naming the method.
 * Several `@Periodic` on one method need distinct `scheduleName`s.
 */
export function Periodic(options: PeriodicOptions): MethodDecorator {
  return (target, propertyKey, descriptor) => {
    const method = descriptor.value as unknown;
    if (typeof method !== 'function') {
      throw new TypeError(
        `@Periodic is for methods; ${String(propertyKey)} is not one`,
      );
    }
    const entries = getPeriodicMetadata(method);
    Reflect.defineMetadata(
      PERIODIC_METADATA,
      [...entries, { ...options }],
      method,
    );
    if (!Reflect.hasMetadata(TASK_METADATA, method)) {
      const task: TaskMetadata = {
        name:
          options.name ?? `${target.constructor.name}.${String(propertyKey)}`,
        ...pick(options, [
          'queue',
          'priority',
          'acksLate',
          'ignoreResult',
          'expires',
        ]),
      };
      // An explicit @Task above this one replaces it, and wins (decorators apply bottom-up).
      Reflect.defineMetadata(TASK_METADATA, task, method);
    }
  };
}

/** The @Periodic entries of a method (empty when it has none). */
export function getPeriodicMetadata(method: unknown): PeriodicMetadata[] {
  if (typeof method !== 'function') return [];
  return (
    (Reflect.getMetadata(PERIODIC_METADATA, method) as
      PeriodicMetadata[] | undefined) ?? []
  );
}

function pick<T extends object, K extends keyof T>(
  source: T,
  keys: K[],
): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
