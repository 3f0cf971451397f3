/** When a hook runs: a task succeeded, failed for good, or is about to be retried. */
export type TaskHookKind = 'success' | 'failure' | 'retry';

export interface TaskHookMetadata {
  kind: TaskHookKind;
  /** Task names it listens to; null for every task. */
  tasks: string[] | null;
}

export const TASK_HOOKS_METADATA = 'celeriac:task-hooks';

function taskHook(kind: TaskHookKind) {
  return (...tasks: string[]): MethodDecorator =>
    (_target, _key, descriptor) => {
      const method = descriptor.value as object;
      const hooks = getTaskHookMetadata(method);
      Reflect.defineMetadata(
        TASK_HOOKS_METADATA,
        [...hooks, { kind, tasks: tasks.length > 0 ? tasks : null }],
        method,
      );
    };
}

/**
 * Calls the method with a TaskSuccessEvent after a task succeeded (every task, or the
 * named ones): `@OnTaskSuccess('videos.transcode') onDone(event: TaskSuccessEvent)`.
 * Hooks run in the worker before the message is acked; a hook's error is logged and
 * changes nothing.
 */
export const OnTaskSuccess = taskHook('success');

/** Calls the method with a TaskFailureEvent once a task failed for good (no retry left). */
export const OnTaskFailure = taskHook('failure');

/** Calls the method with a TaskRetryEvent when a task is sent again for a retry. */
export const OnTaskRetry = taskHook('retry');

export function getTaskHookMetadata(method: unknown): TaskHookMetadata[] {
  if (typeof method !== 'function') return [];
  return (
    (Reflect.getMetadata(TASK_HOOKS_METADATA, method) as
      TaskHookMetadata[] | undefined) ?? []
  );
}
