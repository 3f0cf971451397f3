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

/**
 * The partial arguments a signature of a method with parameters `P` may hold: the last
 * parameters, any number of them (none, all but the first, all...), each of its
 * declared type; what is applied later fills the parameters before them. A method
 * with a rest parameter takes any of its own list.
 */
export type PartialArgs<P extends readonly unknown[]> =
  number extends P['length']
    ? P
    : P extends readonly []
      ? P
      : P extends readonly [unknown?, ...infer Rest]
        ? P | PartialArgs<Rest>
        : P;

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
