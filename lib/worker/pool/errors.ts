/**
 * Errors of the process pool. As the other execution errors, each keeps the Python
 * module Celery stores it under, so a Python client rebuilds Celery's own exception.
 */

/**
 * The child process running a task died before the task finished (a crash,
 * `process.exit`, the OOM killer): Celery's WorkerLostError, as its prefork pool
 * reports it (`type(exc).__module__` is billiard.exceptions; celery.exceptions
 * re-exports it).
 */
export class WorkerLostError extends Error {
  override readonly name = 'WorkerLostError';
  readonly excModule = 'billiard.exceptions';
  constructor(
    /** The child's exit code, or null when a signal ended it. */
    readonly exitCode: number | null,
    /** The signal that ended the child, or null. */
    readonly signal: NodeJS.Signals | null,
  ) {
    super(
      `Worker exited prematurely: ${signal ? `signal ${signal}` : `exitcode ${String(exitCode)}`}.`,
    );
  }
}

/** A child of the pool could not boot the application (it exited before it was ready). */
export class PoolChildStartError extends Error {
  override readonly name = 'PoolChildStartError';
  constructor(entry: string, exitCode: number | null, signal: string | null) {
    super(
      `a pool child running ${entry} exited (${signal ?? `code ${String(exitCode)}`}) before it was ready: ` +
        'does that script call bootstrapWorker with the module? (see docs/isolation.md)',
    );
  }
}
