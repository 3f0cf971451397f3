import { toMilliseconds } from '../common/duration';
import {
  PROPAGATE_STATES,
  ResultMeta,
  TaskState,
  isReady,
  readExceptionInfo,
} from '../protocol';
import { ResultBackend } from '../results/result-backend';
import type { GroupResult } from './group-result';
import {
  ResultIgnoredError,
  TaskFailedError,
  TaskRevokedError,
  TaskTimeoutError,
} from './errors';
import { GetOptions, RevokeOptions } from './send-options';

/** Revokes a task by id (TaskClient.revoke). */
export type Revoker = (taskId: string, options: RevokeOptions) => Promise<void>;

/** Node timers take at most 2^31-1 ms; longer waits are done in steps. */
const MAX_TIMER_MS = 2_147_483_647;

/** A handle on a sent task's state and result, as Celery's AsyncResult. */
export class AsyncResult<T = unknown> {
  /**
   * The result this one continues (the previous step of a chain, a chord's header), as
   * Celery's `parent`; set on what `applyAsync` of a canvas returns.
   */
  parent?: AsyncResult | GroupResult;

  constructor(
    readonly id: string,
    private readonly backend: ResultBackend,
    private readonly ignored = false,
    private readonly revoker?: Revoker,
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

  /**
   * The meta the task last reported with `ctx.progress(meta)`, while its state is
   * PROGRESS; undefined in any other state.
   */
  async progress<P = unknown>(): Promise<P | undefined> {
    const meta = await this.backend.get(this.id);
    return meta?.status === 'PROGRESS' ? (meta.result as P) : undefined;
  }

  /**
   * Revokes the task: no worker starts it; with `terminate`, a worker running it
   * aborts its signal and stores REVOKED at once. See TaskClient.revoke.
   */
  async revoke(options: RevokeOptions = {}): Promise<void> {
    if (!this.revoker) {
      throw new Error(
        'this AsyncResult was made without a client: use TaskClient.revoke',
      );
    }
    await this.revoker(this.id, options);
  }

  /**
   * Revokes the whole workflow this result ends: itself and every step before it on
   * its `parent` links (a chord's header, a group's members), so the steps not run yet
   * never run. Celery has no single call for it (its users walk `parent`); each id is
   * revoked as `revoke()` does, so Python workers honour it too. A step already done
   * stays done; the steps after a revoked one are never sent, and read PENDING.
   */
  async revokeChain(options: RevokeOptions = {}): Promise<void> {
    const ids = new Set<string>();
    collectIds(this, ids);
    for (const id of ids) await this.revokeId(id, options);
  }

  private async revokeId(id: string, options: RevokeOptions): Promise<void> {
    if (!this.revoker)
      throw new Error(
        'this AsyncResult was made without a client: use TaskClient.revoke',
      );
    await this.revoker(id, options);
  }

  /**
   * The tasks it sent while it ran (the next chain step, link callbacks), from the
   * stored meta's `children`, as Celery's `children`. Empty until it is stored.
   */
  async children(): Promise<AsyncResult[]> {
    const meta = await this.backend.get(this.id);
    const children = Array.isArray(meta?.children) ? meta.children : [];
    const ids: string[] = [];
    for (const child of children) {
      const head = Array.isArray(child) ? (child as unknown[])[0] : undefined;
      const id = Array.isArray(head) ? (head as unknown[])[0] : head;
      if (typeof id === 'string') ids.push(id);
    }
    return ids.map(
      (id) => new AsyncResult(id, this.backend, false, this.revoker),
    );
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

/** The ids of a result and of everything on its parent links, groups' members included. */
function collectIds(result: AsyncResult | GroupResult, ids: Set<string>): void {
  if (result instanceof AsyncResult) ids.add(result.id);
  else for (const member of result.results) collectIds(member, ids);
  if (result.parent) collectIds(result.parent, ids);
}
