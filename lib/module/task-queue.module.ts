import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TaskClient } from '../client/task-client';
import { TaskExplorer } from '../registry/task-explorer';
import { TaskRegistry } from '../registry/task-registry';
import { EagerRunner } from '../worker/eager-runner';
import { TaskExecutor } from '../worker/task-executor';
import { TaskWorkerService } from '../worker/task-worker.service';
import { ConnectionsLifecycle } from './connections.lifecycle';
import { createResultBackend, createTransport } from './connections';
import { ResolvedOptions, resolveOptions } from './resolve-options';
import {
  ConfigurableTaskQueueModule,
  TASK_QUEUE_OPTIONS,
} from './task-queue.module-definition';
import { TaskQueueModuleOptions } from './task-queue-options';
import { RESOLVED_OPTIONS, RESULT_BACKEND, TRANSPORT } from './tokens';

/**
 * Celeriac's module: `TaskQueueModule.forRoot({ broker, backend, ... })` or
 * `forRootAsync({ imports, useFactory, inject })`. Global. Finds @Task methods,
 * provides TaskClient, and runs a worker when told to.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: RESOLVED_OPTIONS,
      useFactory: (options: TaskQueueModuleOptions) => resolveOptions(options),
      inject: [TASK_QUEUE_OPTIONS],
    },
    {
      provide: TRANSPORT,
      useFactory: (options: ResolvedOptions) => createTransport(options),
      inject: [RESOLVED_OPTIONS],
    },
    {
      provide: RESULT_BACKEND,
      useFactory: createResultBackend,
      inject: [RESOLVED_OPTIONS, TRANSPORT],
    },
    TaskRegistry,
    TaskExplorer,
    TaskExecutor,
    EagerRunner,
    TaskClient,
    TaskWorkerService,
    ConnectionsLifecycle,
  ],
  exports: [TaskClient, TaskRegistry, TaskWorkerService],
})
export class TaskQueueModule extends ConfigurableTaskQueueModule {}
