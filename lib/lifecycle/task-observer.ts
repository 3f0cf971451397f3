import { TaskMessage, TaskRequest } from '../protocol';

/** How a run ended, as observers see it. */
export type RunEnd =
  | { kind: 'success'; value: unknown }
  | { kind: 'retry'; error: unknown; eta: Date }
  | { kind: 'failure'; error: unknown }
  | { kind: 'revoked'; reason: string };

/**
 * What beat did with one due tick of a schedule: `sent` (this beat enqueued it),
 * `taken` (another beat had claimed it), `skipped` (a gap of missed ticks that the
 * catch-up policy did not run, counted once per gap).
 */
export type BeatTickOutcome = 'sent' | 'taken' | 'skipped';

/**
 * What the library's own features (events, metrics, tracing, the dashboard) see of a
 * task's life, Celery's signals for Celeriac. Every method is optional and called
 * synchronously on the hot path: keep it fast, and never throw (a throw is logged and
 * ignored). User code hooks in with `@OnTaskSuccess` and friends instead.
 */
export interface TaskObserver {
  /**
   * Before a message is published: may add headers (a trace context, say). `parent` is
   * the task this message continues when the worker publishes it on that task's behalf
   * after its run (a canvas step: the next link of a chain, a callback); tracing makes
   * the send a child of that task's run. Sends made inside a task need no `parent`:
   * they happen within its run.
   */
  beforeSend?(message: TaskMessage, queue: string, parent?: TaskRequest): void;
  /** The broker took the message. */
  sent?(message: TaskMessage, queue: string): void;
  /** The broker did not take the message (the send rejects with `error`). */
  sendFailed?(message: TaskMessage, queue: string, error: unknown): void;
  /** A worker took the message off `queue` and read it. */
  received?(request: TaskRequest, queue: string): void;
  /** A worker could not run the message: dead-lettered, with why. */
  rejected?(
    request: TaskRequest | undefined,
    queue: string,
    reason: string,
  ): void;
  /** The delivery was moved to the dead letters of `queue`, with why. */
  deadLettered?(
    request: TaskRequest | undefined,
    queue: string,
    reason: string,
  ): void;
  /** Not run: expired or revoked before it started. */
  revoked?(request: TaskRequest, reason: 'expired' | 'revoked'): void;
  /** The task function is about to run. */
  started?(request: TaskRequest, queue: string | null): void;
  /**
   * Wraps the task function's run (a tracing span, say); must call `run` once and
   * return what it returns. Observers wrap in the order they were added.
   */
  aroundRun?<T>(request: TaskRequest, run: () => Promise<T>): Promise<T>;
  /** The run ended: how, and how long the task function took. */
  finished?(request: TaskRequest, end: RunEnd, runtimeMs: number): void;
  /** Beat handled a due tick of `schedule` (see BeatTickOutcome). */
  beatTick?(schedule: string, outcome: BeatTickOutcome): void;
}
