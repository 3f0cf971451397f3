import { ErrorClass, RetryOptions } from '../options/task-options';
import { durationOptionMs } from './duration-option';
import { InvalidTaskOptionError } from './errors';

/** How one task is retried, with every default applied and checked. */
export interface RetryPolicy {
  maxRetries: number;
  /** Errors retried automatically: every error, none, or these classes. */
  autoretry: 'all' | 'none' | readonly ErrorClass[];
  dontAutoretryFor: readonly ErrorClass[];
  delayMs: number;
  /** The backoff factor; null without backoff. */
  backoffFactorMs: number | null;
  backoffMaxMs: number;
  jitter: boolean;
}

/** Celery's defaults: max_retries 3, default_retry_delay 180 s, retry_backoff_max 600 s. */
export const DEFAULT_MAX_RETRIES = 3;
const DEFAULT_DELAY_MS = 180_000;
const DEFAULT_BACKOFF_MAX_MS = 600_000;

/**
 * The message header that carries a call's own retry options to the worker, in
 * seconds and Celery's snake case: `{max_retries, backoff, backoff_max, jitter, delay}`.
 * Celery ignores it; a retry keeps it.
 */
export const RETRY_HEADER = 'celeriac_retry';

export interface RetryHeader {
  max_retries?: number;
  backoff?: boolean | number;
  backoff_max?: number;
  jitter?: boolean;
  delay?: number;
}

/**
 * The policy of a task from its options (the module's defaults already merged in).
 * Throws InvalidTaskOptionError naming `where` (the task) and the value.
 */
export function resolveRetryPolicy(
  where: string,
  options: RetryOptions & {
    autoretryFor?: ErrorClass[];
    dontAutoretryFor?: ErrorClass[];
  },
): RetryPolicy {
  const autoretryFor = errorClasses(
    where,
    'autoretryFor',
    options.autoretryFor,
  );
  return {
    maxRetries: maxRetriesOf(where, options.maxRetries) ?? DEFAULT_MAX_RETRIES,
    autoretry:
      autoretryFor.length > 0
        ? autoretryFor
        : options.maxRetries !== undefined
          ? 'all'
          : 'none',
    dontAutoretryFor: errorClasses(
      where,
      'dontAutoretryFor',
      options.dontAutoretryFor,
    ),
    delayMs:
      durationOptionMs(
        where,
        'retryDelay',
        options.retryDelay,
        'not negative',
      ) ?? DEFAULT_DELAY_MS,
    backoffFactorMs: backoffOf(where, options.retryBackoff),
    backoffMaxMs:
      durationOptionMs(
        where,
        'retryBackoffMax',
        options.retryBackoffMax,
        'not negative',
      ) ?? DEFAULT_BACKOFF_MAX_MS,
    jitter: booleanOf(where, 'retryJitter', options.retryJitter) ?? true,
  };
}

/** The header a call writes for its own retry options; undefined when it sets none. */
export function retryHeaderOf(
  where: string,
  options: RetryOptions,
): RetryHeader | undefined {
  const header: RetryHeader = {};
  const maxRetries = maxRetriesOf(where, options.maxRetries);
  if (maxRetries !== undefined) header.max_retries = maxRetries;
  const backoff = backoffOf(where, options.retryBackoff);
  if (options.retryBackoff !== undefined)
    header.backoff = backoff === null ? false : backoff / 1000;
  const backoffMax = durationOptionMs(
    where,
    'retryBackoffMax',
    options.retryBackoffMax,
    'not negative',
  );
  if (backoffMax !== undefined) header.backoff_max = backoffMax / 1000;
  const jitter = booleanOf(where, 'retryJitter', options.retryJitter);
  if (jitter !== undefined) header.jitter = jitter;
  const delay = durationOptionMs(
    where,
    'retryDelay',
    options.retryDelay,
    'not negative',
  );
  if (delay !== undefined) header.delay = delay / 1000;
  return Object.keys(header).length > 0 ? header : undefined;
}

/** The task's policy with a message's `celeriac_retry` header applied (ignored if malformed). */
export function withRetryHeader(
  policy: RetryPolicy,
  header: unknown,
): RetryPolicy {
  if (header === null || typeof header !== 'object') return policy;
  const h = header as Record<string, unknown>;
  const merged = { ...policy };
  if (isCount(h.max_retries)) {
    merged.maxRetries = h.max_retries;
    if (merged.autoretry === 'none') merged.autoretry = 'all';
  }
  if (h.backoff === false) merged.backoffFactorMs = null;
  if (h.backoff === true) merged.backoffFactorMs = 1000;
  if (isPositive(h.backoff)) merged.backoffFactorMs = h.backoff * 1000;
  if (isPositive(h.backoff_max) || h.backoff_max === 0)
    merged.backoffMaxMs = h.backoff_max * 1000;
  if (typeof h.jitter === 'boolean') merged.jitter = h.jitter;
  if (isPositive(h.delay) || h.delay === 0) merged.delayMs = h.delay * 1000;
  return merged;
}

function maxRetriesOf(where: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (!isCount(value)) {
    throw new InvalidTaskOptionError(
      where,
      'maxRetries',
      value,
      'a whole number, 0 or more',
    );
  }
  return value;
}

function backoffOf(where: string, value: unknown): number | null {
  if (value === undefined || value === false) return null;
  if (value === true) return 1000;
  if (isPositive(value)) return value * 1000;
  throw new InvalidTaskOptionError(
    where,
    'retryBackoff',
    value,
    'true, false, or a factor in seconds greater than 0',
  );
}

function booleanOf(
  where: string,
  option: string,
  value: unknown,
): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new InvalidTaskOptionError(where, option, value, 'true or false');
}

function errorClasses(
  where: string,
  option: string,
  value: unknown,
): ErrorClass[] {
  if (value === undefined) return [];
  if (
    !Array.isArray(value) ||
    !value.every((item) => typeof item === 'function')
  ) {
    throw new InvalidTaskOptionError(
      where,
      option,
      value,
      'a list of error classes',
    );
  }
  return value as ErrorClass[];
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
