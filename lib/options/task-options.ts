import { Duration } from '../common/duration';

/** An error class, for `autoretryFor` / `dontAutoretryFor`. */
export type ErrorClass = abstract new (...args: any[]) => Error;

/**
 * A rate: `'10/s'`, `'100/m'`, `'1000/h'`, or a number of tasks per second (Celery's
 * `rate_limit`). 0 means no limit.
 */
export type RateLimit = string | number;

/**
 * How a task is retried. Every field can be set in `@Task`, in the module's
 * `taskDefaults`, and per call (except the error lists). See docs/tasks.md.
 */
export interface RetryOptions {
  /**
   * Most retries after the first run. Setting it (here, in taskDefaults or per call)
   * turns automatic retries on for every error except `dontAutoretryFor`,
   * `UnrecoverableError` and a hard time limit; without it only `autoretryFor` errors
   * and `ctx.retry()` retry, up to Celery's default of 3.
   */
  maxRetries?: number;
  /**
   * Exponential backoff (Celery's retry_backoff): `true` is a factor of 1 s, a number
   * is the factor in seconds; retry n waits `min(retryBackoffMax, factor * 2^n)`.
   * Default false: every retry waits `retryDelay`.
   */
  retryBackoff?: boolean | number;
  /** The longest backoff (seconds or '10m'). Default 600 s, as Celery. */
  retryBackoffMax?: Duration;
  /** Full jitter: a random wait between 0 and the backoff. Default true, as Celery. */
  retryJitter?: boolean;
  /** The wait before a retry without backoff (seconds or '30s'). Default 180 s, as Celery. */
  retryDelay?: Duration;
}

/**
 * How a message body is compressed (Celery's `task_compression`, written in the
 * `compression` header as kombu writes it): `'gzip'` (kombu's application/x-gzip,
 * which is zlib's format; `'zlib'` is the same) or `'brotli'`. kombu's bzip2, lzma
 * and zstd are not in Node's zlib: refused.
 */
export type TaskCompression = 'gzip' | 'zlib' | 'brotli';

/** Options of one task, set in `@Task({...})`; per-call options override some of them. */
export interface TaskOptions extends RetryOptions {
  /** The name other processes and languages call it by. Default `<ClassName>.<methodName>`. */
  name?: string;
  /** The queue it is sent to when the call does not say. Default: the module's default queue. */
  queue?: string;
  /** 0..9. On Redis and the memory broker 0 runs first; on RabbitMQ 9 does (as in Celery). */
  priority?: number;
  /** Ack after the task finished (default true: a worker killed mid-task loses nothing). */
  acksLate?: boolean;
  /**
   * Store STARTED (with the worker's `pid` and `hostname`) before the task runs, as
   * Celery's `track_started`. Default false (the module option `trackStarted`): results
   * go from PENDING to their final state. Never with ignoreResult.
   */
  trackStarted?: boolean;
  /** Store no result (Celery's ignore_result). */
  ignoreResult?: boolean;
  /** Default expiry of a call: seconds (or '10m'...) after sending, past which it is not run. */
  expires?: Duration;
  /**
   * Compress its messages (Celery's `task_compression`; `taskDefaults` for every task).
   * Worth it for large arguments; see README, Production. Default none.
   */
  compression?: TaskCompression;

  /** Errors retried automatically (with their subclasses). */
  autoretryFor?: ErrorClass[];
  /** Errors never retried automatically, even when they match `autoretryFor`. */
  dontAutoretryFor?: ErrorClass[];

  /**
   * Hard time limit (seconds or '5m'): past it the task is failed with
   * TimeLimitExceeded, its signal aborted and its slot freed, whatever its promise does.
   */
  timeLimit?: Duration;
  /** Soft time limit: past it the task's AbortSignal fires (SoftTimeLimitExceeded). */
  softTimeLimit?: Duration;

  /** Most runs of this task per worker process (Celery's rate_limit), e.g. '10/s'. */
  rateLimit?: RateLimit;
  /**
   * Most runs of this task across every worker, counted in the module's
   * `rateLimitStore` (Redis for a fleet; memory within one process).
   */
  fleetRateLimit?: RateLimit;

  /**
   * Route a final failure (retries exhausted, not retryable, hard time limit) to the
   * broker's dead letters, to be looked at and replayed (`DeadLetters`). Needs acksLate.
   */
  deadLetter?: boolean;

  /**
   * `'process'`: run in a child process of the worker's pool, where a hard time limit
   * kills and a crash loses only the child (Celery's prefork). See docs/isolation.md.
   * Default: in the worker's process, unless the worker has a `pool`.
   */
  isolate?: 'process';
  /**
   * When the child process running it dies (crash, `process.exit`, OOM), give the message
   * back to be delivered again instead of failing with WorkerLostError (Celery's
   * reject_on_worker_lost). Needs acksLate. Default false.
   */
  rejectOnWorkerLost?: boolean;
}

/** What `@Task` stores on the method. */
export interface TaskMetadata extends TaskOptions {
  name: string;
}

export const TASK_METADATA = 'celeriac:task';
