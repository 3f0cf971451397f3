import { toMilliseconds } from '../common/duration';
import {
  PROPAGATE_STATES,
  ResultMeta,
  TaskState,
  isReady,
  readExceptionInfo,
} from '../protocol';
import { ResultBackend } from '../results/result-backend';
import {
  ResultIgnoredError,
  TaskFailedError,
  TaskRevokedError,
  TaskTimeoutError,
} from './errors';
import { GetOptions } from './send-options';

/** Node timers take at most 2^31-1 ms; longer waits are done in steps. */
const MAX_TIMER_MS = 2_147_483_647;

/** A handle on a sent task's state and result, as Celery's AsyncResult. */
export class AsyncResult<T = unknown> {
  constructor(
    readonly id: string,
    private readonly backend: ResultBackend,
    private readonly ignored = false,
  ) {}

  /** PENDING until a worker stores something (unknown ids read as PENDING too). */
  async state(): Promise<TaskState> {
    return (await this.backend.get(this.id))?.status ?? 'PENDING';
  }

  /** True once SUCCESS, FAILURE or REVOKED. */
  async ready(): Promise<boolean> {
    return isReady(await this.state());
  }

  /** The stored meta as Celery keeps it, or undefined while PENDING. */
  async meta(): Promise<ResultMeta | undefined> {
    return this.backend.get(this.id);
  }

  /**
   * Waits for the task and resolves with its value. Rejects with TaskFailedError
   * (the task's error type and message) on FAILURE, TaskRevokedError on REVOKED,
   * TaskTimeoutError when `timeout` runs out first.
   */
  async get(options: GetOptions = {}): Promise<T> {
    if (this.ignored) throw new ResultIgnoredError(this.id);
    const timeoutMs =
      options.timeout === undefined
        ? Infinity
        : toMilliseconds(options.timeout, 's', 'timeout');
    const deadline = Date.now() + timeoutMs;
    let meta: ResultMeta | undefined;
    do {
      const left = Math.min(Math.max(0, deadline - Date.now()), MAX_TIMER_MS);
      meta = await this.backend.waitForReady(this.id, left);
    } while (!meta && Date.now() < deadline);
    if (!meta) throw new TaskTimeoutError(this.id, timeoutMs);
    if (options.propagate !== false && PROPAGATE_STATES.has(meta.status))
      throw this.errorOf(meta);
    return meta.result as T;
  }

  /** Deletes the stored result. */
  async forget(): Promise<void> {
    await this.backend.forget(this.id);
  }

  private errorOf(meta: ResultMeta): Error {
    const info = readExceptionInfo(meta.result);
    if (meta.status === 'REVOKED')
      return new TaskRevokedError(this.id, info.exc_message.join(', '));
    return new TaskFailedError(this.id, info, meta.traceback);
  }
}
