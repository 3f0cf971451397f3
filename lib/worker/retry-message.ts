import { TaskMessage, TaskRequest, buildTaskMessage } from '../protocol';

/**
 * The message of a retry, as Celery's `Task.retry` publishes it: the same task id,
 * arguments and options, `retries + 1`, an absolute `eta`, `parent_id` = its own id
 * (see the captured retry headers), the worker as origin. `expires` and custom headers
 * (`celeriac_retry`, stamps...) are kept as they came.
 */
export function retryMessage(
  request: TaskRequest,
  eta: Date,
  origin: string,
): TaskMessage {
  const headers = (request.message.headers ?? {}) as Record<string, unknown>;
  return buildTaskMessage({
    name: request.name,
    id: request.id,
    args: request.args,
    kwargs: request.kwargs,
    origin,
    eta,
    expires:
      typeof headers.expires === 'string' && headers.expires !== ''
        ? headers.expires
        : request.expires,
    priority: request.priority,
    retries: request.retries + 1,
    timeLimit: [request.timeLimit.hard, request.timeLimit.soft],
    rootId: request.rootId,
    parentId: request.id,
    group: request.group,
    groupIndex: request.groupIndex,
    ignoreResult: request.ignoreResult,
    replyTo: request.replyTo ?? undefined,
    shadow: typeof headers.shadow === 'string' ? headers.shadow : null,
    embed: request.embed,
    headers,
  });
}
