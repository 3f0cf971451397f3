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
}
