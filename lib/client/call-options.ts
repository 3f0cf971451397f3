import { RETRY_HEADER, retryHeaderOf } from '../registry/retry-policy';
import { timeLimitOf } from '../registry/task-policy';
import { SendOptions } from './send-options';

/**
 * What a call's execution options put in the message: `timelimit` [hard, soft] and
 * the `celeriac_retry` header. Throws InvalidTaskOptionError (before anything is sent)
 * on a value that does not parse.
 */
export function callOptionsOf(
  name: string,
  options: SendOptions,
): {
  timeLimit?: [number | null, number | null];
  headers?: Record<string, unknown>;
} {
  const where = `call of task "${name}"`;
  const hard = timeLimitOf(where, 'timeLimit', options.timeLimit);
  const soft = timeLimitOf(where, 'softTimeLimit', options.softTimeLimit);
  const retry = retryHeaderOf(where, options);
  return {
    timeLimit: hard === null && soft === null ? undefined : [hard, soft],
    headers: retry
      ? { ...options.headers, [RETRY_HEADER]: retry }
      : options.headers,
  };
}
