import { TaskFailedError } from '../client/errors';
import type { ErrbackRequest } from '../client/errback-types';
import { ExceptionInfo, SignatureDict, TaskRequest } from '../protocol';
import { bindArguments } from '../registry/bind-arguments';
import { RegisteredTask } from '../registry/registered-task';

/**
 * Celery's `_call_task_errbacks` test: an errback whose task this worker has and whose
 * method takes more than one positional parameter is new-style, called here with
 * `(request, exc, traceback)` before its own partial arguments; any other is sent as
 * a task with the failed task's id.
 */
export function newStyleErrback(
  errback: SignatureDict,
  find: (name: string) => RegisteredTask | undefined,
): RegisteredTask | undefined {
  const task = find(errback.task);
  return task && task.signature.maxPositional > 1 ? task : undefined;
}

/** Calls a new-style errback in this process; what it throws is the caller's to log. */
export async function callErrback(
  task: RegisteredTask,
  errback: SignatureDict,
  failed: {
    request: ErrbackRequest;
    info: ExceptionInfo;
    traceback: string | null;
  },
): Promise<void> {
  const exc = new TaskFailedError(
    failed.request.id,
    failed.info,
    failed.traceback,
  );
  const args = [failed.request, exc, failed.traceback, ...errback.args];
  await task.invoke(...bindArguments(task.signature, args, errback.kwargs));
}

/** The request an errback sees, from the failed task's (or a chord body's id alone). */
export function errbackRequestOf(
  request: TaskRequest,
  failedId: string,
): ErrbackRequest {
  if (failedId !== request.id)
    return {
      id: failedId,
      task: '',
      args: [],
      kwargs: {},
      rootId: request.rootId,
      parentId: null,
      group: null,
      retries: 0,
    };
  return {
    id: request.id,
    task: request.name,
    args: request.args,
    kwargs: request.kwargs,
    rootId: request.rootId,
    parentId: request.parentId,
    group: request.group,
    retries: request.retries,
  };
}
