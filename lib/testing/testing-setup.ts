import { WorkerOptions } from '../index';

/** What TaskQueueTestingModule.forRoot decided, handed to the TaskQueueTester. */
export interface TestingSetup {
  /** The test's own memory broker: `memory://celeriac-test-<uuid>`. */
  brokerUrl: string;
  brokerName: string;
  /** Start the worker at bootstrap (true) or at the first drain (false). */
  startAtBootstrap: boolean;
  workerOptions: WorkerOptions;
  /** The queue of a task that names none: `taskDefaults.queue`, else `defaultQueue`. */
  fallbackQueue: string;
}

export const TESTING_SETUP = Symbol('celeriac:testing-setup');
