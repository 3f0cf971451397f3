import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DeadLetters } from '../client/dead-letters.service';
import { FleetControl } from '../client/fleet-control.service';
import { QueueAdmin } from '../client/queue-admin.service';
import { TaskClient } from '../client/task-client.service';
import { TaskLifecycle } from '../lifecycle/task-lifecycle.service';
import { TaskExplorer } from '../registry/task.explorer';
import { TaskHooks } from '../registry/task-hooks.service';
import { TaskRegistry } from '../registry/task.registry';
import { BackendCleanupService } from '../worker/builtins/backend-cleanup.service';
import { BeatService } from '../scheduler/beat.service';
import { PeriodicExplorer } from '../scheduler/periodic.explorer';
import { resolveBeatOptions } from '../scheduler/resolve-beat-options';
import { ScheduleRegistry } from '../scheduler/schedule.registry';
import { BEAT_OPTIONS, TICK_LOCK_FACTORY } from '../scheduler/scheduler.tokens';
import { TickLockHolder } from '../scheduler/tick-lock-holder.service';
import { EagerRunner } from '../worker/eager-runner.service';
import { TaskContext } from '../context/task-context.service';
import { TaskLogger } from '../context/task-logger.service';
import { TaskExecutor } from '../worker/task-executor.service';
import { TaskFinisher } from '../worker/task-finisher.service';
import { BuiltinTasks } from '../worker/builtins/builtin-tasks.service';
import { TaskWorkerService } from '../worker/task-worker.service';
import { TaskQueueMetrics } from '../metrics/task-queue-metrics.service';
import { TaskQueueTracing } from '../tracing/task-queue-tracing.service';
import { TaskEvents } from '../events/task-events.service';
import { TaskQueueEvents } from '../events/task-queue-events.service';
import { TaskQueueHealth } from '../health/task-queue-health.service';
import { TaskQueueHealthIndicator } from '../health/task-queue-health-indicator.service';
import { MonitoringEndpointService } from './monitoring-endpoint.service';
import { createTickLockFactory } from './beat-connections';
import { ConnectionsLifecycle } from './connections-lifecycle.service';
import { createTransport } from './connections';
import { createCheckedResultBackend } from './fail-fast';
import {
  createControlBus,
  createEventBus,
  createFleetRateLimiter,
  createRevocationStore,
} from './execution-connections';
import { MemoryRateLimiter } from '../rate-limit/memory/memory-rate-limiter';
import { ResolvedOptions, resolveOptions } from '../options/resolve-options';
import {
  ConfigurableTaskQueueModule,
  TASK_QUEUE_OPTIONS,
} from './task-queue.module-definition';
import { TaskQueueModuleOptions } from '../options/module-options';
import {
  CONTROL_BUS,
  EVENT_BUS,
  FLEET_RATE_LIMITER,
  INLINE_RUNNER,
  LOCAL_RATE_LIMITER,
  MONITORING_ENDPOINT,
  RESOLVED_OPTIONS,
  RESULT_BACKEND,
  REVOCATION_STORE,
  TRANSPORT,
} from '../options/tokens';

/**
 * Celeriac's module: `TaskQueueModule.forRoot({ broker, backend, ... })` or
 * `forRootAsync({ imports, useFactory, inject })`. Global. Finds @Task and @Periodic
 * methods, provides TaskClient and ScheduleRegistry, and runs a worker and beat when told to.
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
      useFactory: createCheckedResultBackend,
      inject: [RESOLVED_OPTIONS, TRANSPORT],
    },
    {
      provide: CONTROL_BUS,
      useFactory: createControlBus,
      inject: [TRANSPORT],
    },
    {
      provide: EVENT_BUS,
      useFactory: createEventBus,
      inject: [TRANSPORT],
    },
    {
      provide: REVOCATION_STORE,
      useFactory: createRevocationStore,
      inject: [RESULT_BACKEND, TRANSPORT],
    },
    {
      // One worker per app, so the app's limiter is the worker's own.
      provide: LOCAL_RATE_LIMITER,
      useFactory: () => new MemoryRateLimiter(),
    },
    {
      provide: FLEET_RATE_LIMITER,
      useFactory: createFleetRateLimiter,
      inject: [RESOLVED_OPTIONS],
    },
    {
      provide: BEAT_OPTIONS,
      useFactory: (options: TaskQueueModuleOptions) =>
        resolveBeatOptions(options.beat),
      inject: [TASK_QUEUE_OPTIONS],
    },
    {
      provide: TICK_LOCK_FACTORY,
      useFactory: createTickLockFactory,
      inject: [RESOLVED_OPTIONS],
    },
    TaskRegistry,
    TaskLifecycle,
    TaskHooks,
    TaskExplorer,
    TaskContext,
    TaskLogger,
    TaskExecutor,
    TaskFinisher,
    BuiltinTasks,
    EagerRunner,
    { provide: INLINE_RUNNER, useExisting: EagerRunner },
    TaskClient,
    DeadLetters,
    FleetControl,
    QueueAdmin,
    TaskWorkerService,
    BackendCleanupService,
    ConnectionsLifecycle,
    TickLockHolder,
    ScheduleRegistry,
    PeriodicExplorer,
    BeatService,
    TaskQueueTracing,
    TaskQueueEvents,
    TaskEvents,
    TaskQueueMetrics,
    TaskQueueHealth,
    TaskQueueHealthIndicator,
    MonitoringEndpointService,
    { provide: MONITORING_ENDPOINT, useExisting: MonitoringEndpointService },
  ],
  exports: [
    TaskClient,
    TaskLifecycle,
    TaskRegistry,
    TaskWorkerService,
    TaskContext,
    TaskLogger,
    DeadLetters,
    FleetControl,
    QueueAdmin,
    TaskEvents,
    ScheduleRegistry,
    BeatService,
    TaskQueueMetrics,
    TaskQueueHealth,
    TaskQueueHealthIndicator,
    MONITORING_ENDPOINT,
    // Read by the dashboard (lib/dashboard/), which lives in the app's HTTP module.
    TRANSPORT,
    RESOLVED_OPTIONS,
  ],
})
export class TaskQueueModule extends ConfigurableTaskQueueModule {}
