import { READY_STATES, SignatureDict, TaskRequest } from '../../protocol';
import { ChordPartResult, ResultBackend } from '../../results/result-backend';
import { MaxRetriesExceededError, Retry } from '../errors';

/** What `celery.chord_unlock` is called with (Celery's args and kwargs). */
export interface ChordUnlockCall {
  groupId: string;
  /** The chord's body. */
  callback: SignatureDict;
  /** The header's result tuples, in header order. */
  parts: string[];
  /** Seconds between polls; Celery's result_chord_retry_interval (1) when null. */
  interval: number | null;
  /** Polls at most; null: until the header is ready. */
  maxRetries: number | null;
}

/**
 * Celery's `celery.chord_unlock`, for result backends without a chord counter
 * (PostgreSQL): reads every header part's state; while one is not ready, retries after
 * `interval` (the same message again, as Celery's `self.retry`). Once all are, resolves
 * with them in header order, for the caller to call the body or fail it.
 */
export async function pollChord(
  backend: ResultBackend,
  request: TaskRequest,
  call: ChordUnlockCall,
): Promise<ChordPartResult[]> {
  const retryAt = () => new Date(Date.now() + (call.interval ?? 1) * 1000);
  const retry = (error?: unknown) => {
    if (call.maxRetries !== null && request.retries >= call.maxRetries)
      throw new MaxRetriesExceededError(
        request.name,
        request.id,
        call.maxRetries,
      );
    return new Retry(error, retryAt());
  };
  let metas;
  try {
    metas = await Promise.all(call.parts.map((id) => backend.get(id)));
  } catch (error) {
    throw retry(error);
  }
  if (!metas.every((meta) => meta && READY_STATES.has(meta.status)))
    throw retry();
  return metas.map((meta, index) => ({
    taskId: call.parts[index],
    status: meta!.status,
    result: meta!.result,
  }));
}

/** The task ids of Celery's result tuples (`[[id, parent], children]`). */
export function idsOfResultTuples(value: unknown): string[] {
  if (!Array.isArray(value))
    throw new TypeError(
      `celery.chord_unlock: result must be a list of result tuples, got ${JSON.stringify(value)}`,
    );
  return value.map((tuple) => {
    const head: unknown = Array.isArray(tuple) ? tuple[0] : null;
    const id: unknown = Array.isArray(head) ? head[0] : null;
    if (typeof id !== 'string')
      throw new TypeError(
        `celery.chord_unlock: ${JSON.stringify(tuple)} is not a result tuple`,
      );
    return id;
  });
}
