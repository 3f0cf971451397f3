import { MalformedMessageError } from './errors';
import { TaskMessage } from './message';
import { ResultMeta, resultMeta } from './result-meta';
import { TaskRequest } from './task-request';

/**
 * What is known of a message that cannot be run, when its task id can be read (the
 * `id` header, else `correlation_id`): enough to store a FAILURE where its caller
 * waits (the result key, or its `reply_to` queue on rpc://). Undefined without an id.
 */
export function unrunnableRequest(
  message: TaskMessage,
): TaskRequest | undefined {
  const headers = (message.headers ?? {}) as Record<string, unknown>;
  const text = (value: unknown) =>
    typeof value === 'string' && value !== '' ? value : null;
  const id = text(headers.id) ?? text(message.properties?.correlation_id);
  if (!id) return undefined;
  return {
    id,
    name: text(headers.task) ?? 'unknown',
    args: [],
    kwargs: {},
    embed: null,
    eta: null,
    expires: null,
    retries: 0,
    timeLimit: { hard: null, soft: null },
    rootId: text(headers.root_id) ?? id,
    parentId: text(headers.parent_id),
    group: text(headers.group),
    groupIndex: null,
    ignoreResult: false,
    replyTo: text(message.properties?.reply_to),
    priority: message.properties?.priority ?? 0,
    origin: text(headers.origin),
    message,
  };
}

/** The FAILURE a Celery worker stores for a message it cannot decode or accept. */
export function unrunnableMeta(
  request: TaskRequest,
  error: MalformedMessageError,
): ResultMeta {
  return resultMeta(
    request.id,
    'FAILURE',
    {
      exc_type: error.excType,
      exc_message: [error.message],
      exc_module: error.excModule,
    },
    { parentId: request.parentId, groupId: request.group },
  );
}
