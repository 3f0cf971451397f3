import { CanActivate, ModuleMetadata, Type } from '@nestjs/common';
import { Duration } from '../common/duration';

/** `TaskQueueDashboardModule.register(options)`. */
export interface TaskQueueDashboardOptions {
  /** Where the app serves it, e.g. `'queues'` for `/queues` (after any global prefix). */
  path: string;
  /**
   * Guards every request must pass (pages, data and actions), as `@UseGuards` takes them:
   * classes or instances. The app's global guards (`APP_GUARD`) apply as well.
   */
  guards?: (Type<CanActivate> | CanActivate)[];
  /** Modules the guards' own dependencies come from. */
  imports?: ModuleMetadata['imports'];
  /** Queues to list beside the ones this app sends to and the workers consume. */
  queues?: string[];
  /** Shows the fleet, refuses every action (403). Default false. */
  readOnly?: boolean;
  /** How long to wait for the workers' replies to a remote-control call. Default 1 s. */
  fleetTimeout?: Duration;
  /** The name in the page's header and title. Default `Celeriac`. */
  title?: string;
  /**
   * The recent-task history the Tasks page lists, fed by the task events. In Redis when
   * the broker or the backend is Redis, else in memory; `false` turns it off.
   */
  history?: DashboardHistoryOptions | false;
  /**
   * Asks every worker to send task events (Celery's `enable_events`) when the dashboard
   * starts and every minute, as Flower does. Default true; with false, start workers
   * with `events` (`celery worker -E`) for the history and the chart.
   */
  enableEvents?: boolean;
}

/** `history` of `TaskQueueDashboardModule.register`. */
export interface DashboardHistoryOptions {
  /** Most tasks kept; the first seen go first. Default 100 000. */
  maxTasks?: number;
  /** Oldest task kept, by its first event. Default 86 400 (a day). */
  maxAgeSeconds?: number;
  /** `redis://...` to keep it there, `memory://` in this process. Default: the broker's or backend's Redis, else memory. */
  url?: string;
  /** Prefix of its Redis keys. Default `celeriac:dashboard:`. */
  keyPrefix?: string;
}
