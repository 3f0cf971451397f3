import { TaskMetadata } from '../options/task-options';
import { TaskRequest } from '../protocol';
import { TaskPolicy } from './task-policy';
import { TaskSignature } from './task-signature';

/** A task found at bootstrap: its options and the bound method that runs it. */
export interface RegisteredTask {
  name: string;
  options: TaskMetadata;
  className: string;
  methodName: string;
  /** The method, bound to its provider. */
  run: (...args: unknown[]) => unknown;
  /** The method through Nest's enhancers (guards, interceptors, filters): what a worker calls. */
  invoke: (...args: unknown[]) => Promise<unknown>;
  /**
   * Celery's built-in tasks (`celery.map`, `celery.chord_unlock`...) run with their
   * request, which user tasks read through TaskContext instead; what a worker calls
   * when present.
   */
  invokeWithRequest?: (
    request: TaskRequest,
    args: unknown[],
  ) => Promise<unknown>;
  /** Its parameters, to bind a message's args and kwargs to (`bindArguments`). */
  signature: TaskSignature;
  /** Retries, limits, dead-lettering: the task's options over the module's defaults. */
  policy: TaskPolicy;
}
