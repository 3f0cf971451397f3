import { AsyncResult } from './async-result';
import { SendOptions } from './send-options';

/** Names of T's methods. */
export type MethodNames<T> = {
  [K in keyof T]-?: T[K] extends (...args: never[]) => unknown ? K : never;
}[keyof T] &
  string;

/** The parameters of method K of T. */
export type TaskArgs<T, K extends keyof T> = T[K] extends (
  ...args: infer A
) => unknown
  ? A
  : never;

/** What method K of T resolves to. */
export type TaskResult<T, K extends keyof T> = T[K] extends (
  ...args: never[]
) => infer R
  ? Awaited<R>
  : never;

/**
 * A task called by reference, typed from its method: wrong argument types or a wrong
 * result type do not compile. Get one with `client.task(MathService, 'add')`.
 */
export interface TaskHandle<A extends unknown[], R> {
  /** The registered name, e.g. `math.add`. */
  readonly name: string;
  /** Sends the task with these arguments (Celery's `delay`). */
  delay(...args: A): Promise<AsyncResult<R>>;
  /** Sends the task with arguments and options (Celery's `apply_async`). */
  applyAsync(args: A, options?: SendOptions): Promise<AsyncResult<R>>;
}
