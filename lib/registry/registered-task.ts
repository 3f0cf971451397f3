import { TaskMetadata } from '../decorators/task-options';

/** A task found at bootstrap: its options and the bound method that runs it. */
export interface RegisteredTask {
  name: string;
  options: TaskMetadata;
  className: string;
  methodName: string;
  run: (...args: unknown[]) => unknown;
}
