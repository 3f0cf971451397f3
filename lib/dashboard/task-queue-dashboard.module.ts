import { Controller, DynamicModule, Module, UseGuards } from '@nestjs/common';
import { FleetControl } from '../client/fleet-control.service';
import { CsrfToken } from './csrf-token';
import { DashboardDataService } from './dashboard-data.service';
import { TaskQueueDashboardOptions } from './dashboard-options';
import {
  DASHBOARD_HISTORY,
  DASHBOARD_OPTIONS,
  DASHBOARD_QUEUE_ACTIONS,
  DASHBOARD_WORKERS,
} from './dashboard.tokens';
import { transportQueueActions } from './queue-actions';
import { RESOLVED_OPTIONS, TRANSPORT } from '../options/tokens';
import { ResolvedOptions } from '../options/resolve-options';
import { DashboardActions } from './dashboard-actions.service';
import { DashboardTasksController } from './dashboard-tasks.controller';
import { DashboardTasksService } from './dashboard-tasks.service';
import { openTaskHistory } from './history/open-task-history';
import { DashboardLiveService } from './live/dashboard-live.service';
import { FleetWorkerSource } from './fleet-worker-source';
import {
  ResolvedDashboardOptions,
  resolveDashboardOptions,
} from './resolve-dashboard-options';
import { TaskQueueDashboardController } from './task-queue-dashboard.controller';

/**
 * The dashboard, served by the app's own HTTP server (Express or Fastify) at the path
 * it chooses, behind the guards it gives: workers (Nest and Python), queues, dead
 * letters, schedules and tasks. Off unless imported; needs `TaskQueueModule`.
 *
 * ```ts
 * @Module({
 *   imports: [
 *     TaskQueueModule.forRoot({ broker: 'redis://localhost:6379' }),
 *     TaskQueueDashboardModule.register({ path: 'queues', guards: [AdminGuard] }),
 *   ],
 * })
 * class AppModule {}
 * ```
 */
@Module({})
export class TaskQueueDashboardModule {
  static register(options: TaskQueueDashboardOptions): DynamicModule {
    const resolved = resolveDashboardOptions(options);
    // One subclass per registration: its path and guards are its own.
    class MountedDashboardController extends TaskQueueDashboardController {}
    class MountedTasksController extends DashboardTasksController {}
    for (const mounted of [
      MountedDashboardController,
      MountedTasksController,
    ]) {
      Controller(resolved.path)(mounted);
      if (options.guards?.length) UseGuards(...options.guards)(mounted);
    }
    return {
      module: TaskQueueDashboardModule,
      imports: options.imports ?? [],
      controllers: [MountedDashboardController, MountedTasksController],
      providers: [
        { provide: DASHBOARD_OPTIONS, useValue: resolved },
        {
          provide: DASHBOARD_WORKERS,
          useFactory: (fleet: FleetControl, opts: ResolvedDashboardOptions) =>
            new FleetWorkerSource(fleet, opts.fleetTimeout),
          inject: [FleetControl, DASHBOARD_OPTIONS],
        },
        {
          provide: DASHBOARD_QUEUE_ACTIONS,
          useFactory: transportQueueActions,
          inject: [TRANSPORT],
        },
        {
          provide: DASHBOARD_HISTORY,
          useFactory: (app: ResolvedOptions, opts: ResolvedDashboardOptions) =>
            opts.history ? openTaskHistory(opts.history, app) : null,
          inject: [RESOLVED_OPTIONS, DASHBOARD_OPTIONS],
        },
        CsrfToken,
        DashboardActions,
        DashboardDataService,
        DashboardLiveService,
        DashboardTasksService,
      ],
    };
  }
}
