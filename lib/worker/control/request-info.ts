import { RequestInHand } from './control-command';

/**
 * A task as Celery's `Request.info()` describes it (celery/worker/request.py), for
 * `inspect active`, `reserved`, `scheduled` and `query_task`. With `safe`, args and
 * kwargs are their reprs (`argsrepr`), as Celery's `active --safe`.
 */
export function requestInfo(
  inHand: RequestInHand,
  node: string,
  safe = false,
): Record<string, unknown> {
  const { request, queue, redelivered, startedAt, acknowledged } = inHand;
  const headers = request.message.headers;
  return {
    id: request.id,
    name: request.name,
    args: safe ? (headers.argsrepr ?? null) : request.args,
    kwargs: safe ? (headers.kwargsrepr ?? null) : request.kwargs,
    type: request.name,
    hostname: node,
    time_start: startedAt === null ? null : startedAt / 1000,
    acknowledged,
    delivery_info: {
      exchange: '',
      routing_key: queue,
      priority: request.priority,
      redelivered,
    },
    worker_pid: startedAt === null ? null : process.pid,
  };
}
