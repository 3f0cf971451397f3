import { Controller, DynamicModule, Module, UseGuards } from '@nestjs/common';
import { FleetControl } from '../client/fleet-control.service';
import { CsrfToken } from './csrf-token';
import { DashboardDataService } from './dashboard-data.service';
import { TaskQueueDashboardOptions } from './dashboard-options';
import {
  DASHBOARD_OPTIONS,
  DASHBOARD_QUEUE_ACTIONS,
  DASHBOARD_WORKERS,
} from './dashboard.tokens';
import { transportQueueActions } from './queue-actions';
import { TRANSPORT } from '../options/tokens';
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
    Controller(resolved.path)(MountedDashboardController);
    if (options.guards?.length) {
      UseGuards(...options.guards)(MountedDashboardController);
    }
    return {
      module: TaskQueueDashboardModule,
      imports: options.imports ?? [],
      controllers: [MountedDashboardController],
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
        CsrfToken,
        DashboardDataService,
      ],
    };
  }
}
