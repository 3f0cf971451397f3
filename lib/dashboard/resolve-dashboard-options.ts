import { Duration } from '../common/duration';
import { urlScheme } from '../common/url-scheme';
import { REDIS_SCHEMES } from '../drivers/redis/redis-url';
import {
  DashboardHistoryOptions,
  TaskQueueDashboardOptions,
} from './dashboard-options';

/** The dashboard's options with their defaults, checked once at `register()`. */
export interface ResolvedDashboardOptions {
  path: string;
  queues: string[];
  readOnly: boolean;
  fleetTimeout: Duration;
  title: string;
  /** Null: no history. */
  history: ResolvedHistoryOptions | null;
  enableEvents: boolean;
}

export interface ResolvedHistoryOptions {
  maxTasks: number;
  maxAgeSeconds: number;
  url: string | null;
  keyPrefix: string;
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
    history: resolveHistory(options.history),
    enableEvents: options.enableEvents ?? true,
  };
}

function resolveHistory(
  history: DashboardHistoryOptions | false | undefined,
): ResolvedHistoryOptions | null {
  if (history === false) return null;
  const maxTasks = history?.maxTasks ?? 100_000;
  const maxAgeSeconds = history?.maxAgeSeconds ?? 86_400;
  if (!Number.isInteger(maxTasks) || maxTasks < 1) {
    throw new TypeError(
      `TaskQueueDashboardModule: history.maxTasks must be a positive integer, got ${String(maxTasks)}`,
    );
  }
  if (!Number.isFinite(maxAgeSeconds) || maxAgeSeconds < 1) {
    throw new TypeError(
      `TaskQueueDashboardModule: history.maxAgeSeconds must be at least 1, got ${String(maxAgeSeconds)}`,
    );
  }
  const url = history?.url ?? null;
  if (url !== null && !HISTORY_SCHEMES.includes(urlScheme(url) ?? '')) {
    throw new TypeError(
      `TaskQueueDashboardModule: history.url must be redis://, rediss://, sentinel:// or memory://`,
    );
  }
  return {
    maxTasks,
    maxAgeSeconds,
    url,
    keyPrefix: history?.keyPrefix ?? 'celeriac:dashboard:',
  };
}

const HISTORY_SCHEMES = [...REDIS_SCHEMES, 'memory'];
