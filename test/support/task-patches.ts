import { TaskPatch, taskPatch } from '../../lib/events/task-patch';

/** The patch a task event makes (hostname `celery@a` unless `fields` says otherwise). */
export function eventPatch(
  type: string,
  uuid: string,
  timestamp: number,
  fields: Record<string, unknown> = {},
): TaskPatch {
  const patch = taskPatch({
    type,
    uuid,
    timestamp,
    hostname: 'celery@a',
    ...fields,
  });
  if (!patch) throw new Error(`not a task event: ${type}`);
  return patch;
}

/** A patch with no state: the type allows it (taskPatch itself always gives one). */
export function statelessPatch(
  id: string,
  at: number,
  fields: Partial<Pick<TaskPatch, 'worker' | 'text'>> = {},
): TaskPatch {
  return {
    id,
    at,
    state: null,
    stamp: null,
    worker: fields.worker ?? null,
    text: fields.text ?? {},
    numbers: {},
    terminated: null,
  };
}
