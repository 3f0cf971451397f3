import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DeadLetters } from '../client/dead-letters';
import { TaskClient } from '../client/task-client';
import { TaskExplorer } from '../registry/task-explorer';
import { TaskHooks } from '../registry/task-hooks';
import { TaskRegistry } from '../registry/task-registry';
import { EagerRunner } from '../worker/eager-runner';
import { TaskContext } from '../worker/task-context';
import { TaskExecutor } from '../worker/task-executor';
import { TaskFinisher } from '../worker/task-finisher';
import { TaskWorkerService } from '../worker/task-worker.service';
import { ConnectionsLifecycle } from './connections.lifecycle';
import { createResultBackend, createTransport } from './connections';
import {
  createControlBus,
  createFleetRateLimiter,
  createRevocationStore,
} from './execution-connections';
import { ResolvedOptions, resolveOptions } from './resolve-options';
import {
  ConfigurableTaskQueueModule,
  TASK_QUEUE_OPTIONS,
} from './task-queue.module-definition';
import { TaskQueueModuleOptions } from './task-queue-options';
import {
  CONTROL_BUS,
  FLEET_RATE_LIMITER,
  RESOLVED_OPTIONS,
  RESULT_BACKEND,
  REVOCATION_STORE,
  TRANSPORT,
} from './tokens';

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
    {
      provide: CONTROL_BUS,
      useFactory: createControlBus,
      inject: [TRANSPORT],
    },
    {
      provide: REVOCATION_STORE,
      useFactory: createRevocationStore,
      inject: [RESULT_BACKEND, TRANSPORT],
    },
    {
      provide: FLEET_RATE_LIMITER,
      useFactory: createFleetRateLimiter,
      inject: [RESOLVED_OPTIONS],
    },
    TaskRegistry,
    TaskHooks,
    TaskExplorer,
    TaskContext,
    TaskExecutor,
    TaskFinisher,
    EagerRunner,
    TaskClient,
    DeadLetters,
    TaskWorkerService,
    ConnectionsLifecycle,
  ],
  exports: [
    TaskClient,
    TaskRegistry,
    TaskWorkerService,
    TaskContext,
    DeadLetters,
  ],
})
export class TaskQueueModule extends ConfigurableTaskQueueModule {}
