import { Duration } from '../common/duration';
import { TaskQueueDashboardOptions } from './dashboard-options';

/** The dashboard's options with their defaults, checked once at `register()`. */
export interface ResolvedDashboardOptions {
  path: string;
  queues: string[];
  readOnly: boolean;
  fleetTimeout: Duration;
  title: string;
}

export function resolveDashboardOptions(
  options: TaskQueueDashboardOptions,
): ResolvedDashboardOptions {
  if (typeof options?.path !== 'string') {
    throw new TypeError(
      "TaskQueueDashboardModule.register needs a `path`, e.g. { path: 'queues' }",
    );
  }
  const path = options.path.replace(/^\/+|\/+$/g, '');
  if (!/^[A-Za-z0-9._~\-/]*$/.test(path)) {
    throw new TypeError(
      `TaskQueueDashboardModule: path "${options.path}" may hold only letters, digits, '-', '_', '.', '~' and '/'`,
    );
  }
  return {
    path,
    queues: [...new Set(options.queues ?? [])],
    readOnly: options.readOnly ?? false,
    fleetTimeout: options.fleetTimeout ?? 1,
    title: options.title ?? 'Celeriac',
  };
}
