import { randomUUID } from 'node:crypto';
import { DynamicModule, Module } from '@nestjs/common';
import { TaskQueueModule } from '../index';
import { TaskQueueTester } from './task-queue-tester.service';
import { TaskQueueTestingOptions } from './task-queue-testing-options';
import { TESTING_SETUP, TestingSetup } from './testing-setup';

/**
 * TaskQueueModule for a test: every `forRoot()` gets a memory broker and result store
 * of its own, so tests (in one process, or run at once) never see each other's tasks.
 * Provides `TaskQueueTester` to run what was sent and wait until it is all done.
 *
 * ```ts
 * Test.createTestingModule({ imports: [TaskQueueTestingModule.forRoot(), MathModule] })
 * ```
 */
@Module({})
export class TaskQueueTestingModule {
  static forRoot(options: TaskQueueTestingOptions = {}): DynamicModule {
    const { worker = !options.eager, ...moduleOptions } = options;
    const brokerName = `celeriac-test-${randomUUID()}`;
    const brokerUrl = `memory://${brokerName}`;
    const setup: TestingSetup = {
      brokerUrl,
      brokerName,
      startAtBootstrap: worker !== false,
      workerOptions: typeof worker === 'object' ? worker : {},
      fallbackQueue:
        options.taskDefaults?.queue ?? options.defaultQueue ?? 'celery',
    };
    return {
      module: TaskQueueTestingModule,
      global: true,
      imports: [
        TaskQueueModule.forRoot({
          ...moduleOptions,
          broker: brokerUrl,
          backend: brokerUrl,
          worker: false, // started by the TaskQueueTester, on every queue tasks use
          beat: false,
        }),
      ],
      providers: [{ provide: TESTING_SETUP, useValue: setup }, TaskQueueTester],
      exports: [TaskQueueTester],
    };
  }
}
