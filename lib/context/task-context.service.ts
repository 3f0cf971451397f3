import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Duration } from '../common/duration';

/** What `retry()` takes: when to run again, and why. */
export interface RetryRequest {
  /** Seconds (or '30s') from now. Default: the task's backoff or retryDelay. */
  countdown?: Duration;
  /** When to run again (a time in the past runs at once). */
  eta?: Date;
  /** The error that made the task retry: stored as RETRY's result, thrown when retries ran out. */
  error?: unknown;
  /** This retry's own limit instead of the task's maxRetries. */
  maxRetries?: number;
}

/**
 * The task running in this async context (Celery's `self.request`, plus a signal and
 * progress). Read it with the injectable `TaskContext`: `this.taskContext.current`.
 */
export interface CurrentTask {
  readonly id: string;
  readonly name: string;
  /** How many times it was retried before this run (0 on the first run). */
  readonly retries: number;
  /** The most retries this run may ask for. */
  readonly maxRetries: number;
  /** The queue it was taken from; null in eager mode. */
  readonly queue: string | null;
  /** The message headers, as they came (Celery's and custom ones). */
  readonly headers: Readonly<Record<string, unknown>>;
  readonly rootId: string;
  readonly parentId: string | null;
  readonly eta: Date | null;
  readonly expires: Date | null;
  /** True when run inline by eager mode. */
  readonly eager: boolean;
  /**
   * Aborted when the task should stop: its soft or hard time limit passed
   * (SoftTimeLimitExceeded, TimeLimitExceeded) or it was revoked with terminate
   * (TaskRevokedError). Pass it on to fetch(), timers and child processes.
   */
  readonly signal: AbortSignal;
  /**
   * Throws the reason the task should stop, if there is one: SoftTimeLimitExceeded once
   * its soft time limit passed (also a Python caller's `soft_time_limit`), TimeLimitExceeded,
   * or TaskRevokedError when revoked with terminate. Celery raises SoftTimeLimitExceeded
   * inside the task; JavaScript cannot interrupt running code, so a task calls this
   * between steps (a loop, each batch) and Python sees Celery's own exception.
   */
  throwIfAborted(): void;
  /**
   * Stores state PROGRESS with `meta` as its result; `AsyncResult.progress()` reads
   * it. Writes are kept in order and done before the final state is stored.
   */
  progress(meta: unknown): Promise<void>;
  /**
   * Asks to run again later: throws the Retry the worker catches (so write
   * `throw ctx.retry(...)` or just call it). When retries ran out it throws `error`
   * (or MaxRetriesExceededError) instead, and the task fails with it.
   */
  retry(request?: RetryRequest): never;
}

const storage = new AsyncLocalStorage<CurrentTask>();

/** The task running in this async context, if it is tracked (see TaskContext). */
export function currentTask(): CurrentTask | undefined {
  return storage.getStore();
}

/**
 * The log context of a task's lines: `name[id]`, as Celery's task logger writes it.
 * JsonLogger reads it back into taskName and taskId.
 */
export function taskLogContext(task: { name: string; id: string }): string {
  return `${task.name}[${task.id}]`;
}

/** Runs `fn` with `task` as the current task of everything it calls. */
export function runInTaskContext<T>(task: CurrentTask, fn: () => T): T {
  return storage.run(task, fn);
}

/**
 * The running task's context, injectable anywhere (AsyncLocalStorage underneath), so
 * task methods keep plain typed parameters. Workers track the running task only when
 * some provider, controller or enhancer injects TaskContext (AsyncLocalStorage slows
 * every promise of the process once in use):
 *
 * ```ts
 * constructor(private readonly taskContext: TaskContext) {}
 * @Task('videos.transcode')
 * async transcode(videoId: string) {
 *   const ctx = this.taskContext.current;
 *   await ctx.progress({ done: 10 });
 * }
 * ```
 */
@Injectable()
export class TaskContext {
  /** The running task; throws outside a task. */
  get current(): CurrentTask {
    const task = storage.getStore();
    if (!task) {
      throw new Error(
        'TaskContext.current is only available while a task runs (in a @Task method or code it calls). ' +
          'Inside a task, inject TaskContext (constructor or property) rather than looking it up with ' +
          'ModuleRef: workers track the running task only when something injects TaskContext.',
      );
    }
    return task;
  }

  /** The running task, or undefined outside a task. */
  get active(): CurrentTask | undefined {
    return storage.getStore();
  }
}
