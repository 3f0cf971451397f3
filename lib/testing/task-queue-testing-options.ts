import { TaskQueueModuleOptions, WorkerOptions } from '../index';

/**
 * The options of `TaskQueueTestingModule.forRoot`: the module's own options, except
 * where tasks travel (always a memory broker of the test's own) and beat (never runs).
 */
export interface TaskQueueTestingOptions extends Omit<
  TaskQueueModuleOptions,
  'broker' | 'backend' | 'worker' | 'beat'
> {
  /**
   * When sent tasks run. `true` (the default, unless `eager`): a worker in the test's
   * process consumes from the start every queue a registered task is declared on,
   * plus the default queue and `queues`. `false`: they wait in their queues until
   * `TaskQueueTester.drain()` starts the worker, so a test can look at what was sent first.
   */
  worker?: boolean | WorkerOptions;
}
