import type { Message, Options } from 'amqplib';
import {
  CONTENT_ENCODING_UTF8,
  CONTENT_TYPE_JSON,
  ResultMeta,
  TaskState,
  parseJson,
} from '../../protocol';

/**
 * The body of an rpc:// reply as Celery 5.2 writes it (celery/backends/rpc.py `_to_result`):
 * `{task_id, status, result, traceback, children}`, no `date_done`.
 */
export function replyBody(meta: ResultMeta): Buffer {
  return Buffer.from(
    JSON.stringify({
      task_id: meta.task_id,
      status: meta.status,
      result: meta.result,
      traceback: meta.traceback,
      children: meta.children,
    }),
    'utf8',
  );
}

/** Properties of a reply, as captured from Celery: transient, correlation_id = task id. */
export function replyOptions(taskId: string): Options.Publish {
  return {
    contentType: CONTENT_TYPE_JSON,
    contentEncoding: CONTENT_ENCODING_UTF8,
    deliveryMode: 1,
    priority: 0,
    correlationId: taskId,
    headers: {},
    mandatory: true, // a client gone with its queue is reported, not silent
  };
}

/** The meta a reply carries, matched to its task by correlation_id; undefined if unusable. */
export function readReply(amqp: Message): ResultMeta | undefined {
  let body: unknown;
  try {
    body = parseJson(amqp.content.toString('utf8'));
  } catch {
    return undefined;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return undefined;
  const fields = body as Record<string, unknown>;
  const correlationId = amqp.properties.correlationId as unknown;
  const taskId =
    typeof correlationId === 'string' ? correlationId : fields.task_id;
  if (typeof taskId !== 'string' || typeof fields.status !== 'string')
    return undefined;
  return {
    ...fields,
    status: fields.status as TaskState,
    result: fields.result ?? null,
    traceback: typeof fields.traceback === 'string' ? fields.traceback : null,
    children: Array.isArray(fields.children) ? fields.children : [],
    date_done: typeof fields.date_done === 'string' ? fields.date_done : null,
    task_id: taskId,
  };
}
