import { Duration } from '../common/duration';
import { RetryOptions, TaskCompression } from '../options/task-options';

/**
 * Options of one call, as Celery's apply_async has them. The retry options
 * (maxRetries, retryBackoff...) override the task's for this call only: they travel in
 * the message's `celeriac_retry` header.
 */
export interface SendOptions extends RetryOptions {
  /** Queue to send to. Default: the task's queue, else the module's default queue. */
  queue?: string;
  /** Run no sooner than this many seconds from now (or '500ms', '5m'...). Not negative. */
  countdown?: Duration;
  /** Run no sooner than this time. An eta in the past runs now. */
  eta?: Date | string;
  /** Not run after this time: a Date, or seconds from now (or '10m'). It becomes REVOKED. */
  expires?: Date | Duration;
  /** 0..9; see TaskOptions.priority. */
  priority?: number;
  /** The task id; a new uuid by default. */
  taskId?: string;
  /** Store no result. */
  ignoreResult?: boolean;
  /** Keyword arguments, for tasks written in Python (and see docs/interop.md for Nest tasks). */
  kwargs?: Record<string, unknown>;
  /** Extra message headers. */
  headers?: Record<string, unknown>;
  /** Hard time limit of this call (seconds or '5m'); sent in the `timelimit` header. */
  timeLimit?: Duration;
  /** Soft time limit of this call (seconds or '1m'); sent in the `timelimit` header. */
  softTimeLimit?: Duration;
  /** Compress this message (Celery's `apply_async(compression=...)`); see TaskOptions.compression. */
  compression?: TaskCompression;
}

/** Options of `client.revoke` and `AsyncResult.revoke`. */
export interface RevokeOptions {
  /**
   * Also stop it if it is running: its AbortSignal fires (TaskRevokedError
   * 'terminated'), the worker stores REVOKED and frees its slot at once.
   */
  terminate?: boolean;
  /** Celery's signal name, sent for Python workers (default 'SIGTERM'). */
  signal?: string;
}

/** Options of `AsyncResult.get`. */
export interface GetOptions {
  /** Give up after this many seconds (or '500ms', '2m'). Default: wait as long as it takes. */
  timeout?: Duration;
  /** Reject with the task's error on FAILURE/REVOKED (default true); false resolves it instead. */
  propagate?: boolean;
}
