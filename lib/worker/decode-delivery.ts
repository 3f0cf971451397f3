import {
  MalformedMessageError,
  ResultMeta,
  TaskRequest,
  parseTaskMessage,
  unrunnableMeta,
  unrunnableRequest,
} from '../protocol';
import { Delivery } from '../transports/transport';

/**
 * A delivery's task request, or why it cannot be read (then it is dead-lettered).
 * When its task id can be read, `failed` holds what to store so its caller does not
 * wait forever: a FAILURE with the exception a Celery worker would give.
 */
export type Decoded =
  | { ok: true; request: TaskRequest }
  | {
      ok: false;
      reason: string;
      failed?: { request: TaskRequest; meta: ResultMeta };
    };

export function decodeDelivery(delivery: Delivery): Decoded {
  if (!delivery.message) {
    return {
      ok: false,
      reason: `envelope does not decode: ${delivery.decodeError?.message ?? 'unknown reason'}`,
    };
  }
  try {
    return { ok: true, request: parseTaskMessage(delivery.message) };
  } catch (error) {
    if (!(error instanceof MalformedMessageError)) throw error;
    const request = unrunnableRequest(delivery.message);
    const reason = `${error.excType}: ${error.message}`;
    if (!request) return { ok: false, reason };
    return {
      ok: false,
      reason,
      failed: { request, meta: unrunnableMeta(request, error) },
    };
  }
}
