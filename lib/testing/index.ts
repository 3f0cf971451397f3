// `celeriac/testing`: helpers for testing your own tasks (see README, "Testing your own tasks").
export { TaskQueueTestingModule } from './task-queue-testing.module';
export type { TaskQueueTestingOptions } from './task-queue-testing-options';
export { TaskQueueTester } from './task-queue-tester.service';
export type { DrainOptions } from './task-queue-tester.service';
