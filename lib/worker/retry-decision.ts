/** What a failed run's policy decides: retry automatically or not, and after how long. */
import { RetryPolicy } from '../registry/retry-policy';
import { isRefusal } from '../registry/task-invoker';
import { TimeLimitExceeded, UnrecoverableError } from './errors';

/** True when `error` is retried without the task asking (autoretry). */
export function isAutoretried(policy: RetryPolicy, error: unknown): boolean {
  if (isNeverRetried(error)) return false;
  if (policy.dontAutoretryFor.some((type) => error instanceof type))
    return false;
  if (policy.autoretry === 'all') return true;
  if (policy.autoretry === 'none') return false;
  return policy.autoretry.some((type) => error instanceof type);
}

/**
 * UnrecoverableError, a hard time limit and a guard's refusal are never retried, even
 * when asked.
 */
export function isNeverRetried(error: unknown): boolean {
  return (
    error instanceof UnrecoverableError ||
    error instanceof TimeLimitExceeded ||
    isRefusal(error)
  );
}

/**
 * The wait before retry number `retries + 1`, as Celery's
 * `get_exponential_backoff_interval`: `min(max, factor * 2^retries)`, then full
 * jitter (random in [0, delay]); without backoff, the fixed delay.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  retries: number,
  random: () => number = Math.random,
): number {
  if (policy.backoffFactorMs === null) return policy.delayMs;
  const delay = Math.min(
    policy.backoffMaxMs,
    policy.backoffFactorMs * 2 ** retries,
  );
  return policy.jitter ? Math.floor(random() * (delay + 1)) : delay;
}
