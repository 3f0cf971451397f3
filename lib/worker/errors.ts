/**
 * Errors of task execution. Each one keeps the Python module Celery stores it under
 * (`excModule`), so a Python client rebuilds it as Celery's own exception.
 */

/** Thrown by a task: a failure no retry can fix. It is never retried. */
export class UnrecoverableError extends Error {
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name; // a subclass keeps its own name
  }
}

/**
 * The reason of a task's AbortSignal when its soft time limit passed. The task may
 * clean up and throw it (or anything); the hard limit, if any, still applies.
 */
export class SoftTimeLimitExceeded extends Error {
  override readonly name = 'SoftTimeLimitExceeded';
  readonly excModule = 'billiard.exceptions';
  constructor(readonly seconds: number) {
    super(`soft time limit (${seconds} s) exceeded`);
  }
}

/** A task stopped by its hard time limit: failed, never retried. */
export class TimeLimitExceeded extends Error {
  override readonly name = 'TimeLimitExceeded';
  readonly excModule = 'billiard.exceptions';
  constructor(readonly seconds: number) {
    super(`hard time limit (${seconds} s) exceeded`);
  }
}

/** `retry()` was asked for once retries had run out, and no error was given. */
export class MaxRetriesExceededError extends Error {
  override readonly name = 'MaxRetriesExceededError';
  readonly excModule = 'celery.exceptions';
  constructor(taskName: string, taskId: string, maxRetries: number) {
    super(
      `Can't retry ${taskName}[${taskId}]: max retries (${maxRetries}) exceeded`,
    );
  }
}

/**
 * What `ctx.retry()` throws (Celery's `Retry`): the worker catches it, publishes the
 * task again and stores RETRY. A task that catches errors should let it through.
 */
export class Retry extends Error {
  override readonly name = 'Retry';
  readonly excModule = 'celery.exceptions';
  constructor(
    /** The error that made the task retry, stored as the RETRY state's result. */
    readonly error: unknown,
    /** When to run again. */
    readonly eta: Date,
  ) {
    super(
      `Retry at ${eta.toISOString()}${error instanceof Error ? `: ${error.message}` : ''}`,
    );
  }
}
