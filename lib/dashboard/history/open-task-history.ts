import { REDIS_SCHEMES } from '../../drivers/redis/redis-url';
import { ResolvedOptions } from '../../options/resolve-options';
import { ResolvedHistoryOptions } from '../resolve-dashboard-options';
import { MemoryTaskHistory } from './memory-task-history';
import { RedisTaskHistory } from './redis-task-history';
import { TaskHistory } from './task-history';

type Connections = Pick<
  ResolvedOptions,
  'broker' | 'brokerOptions' | 'backend' | 'backendOptions'
>;

/**
 * The history store: `history.url` when given, else the broker's Redis, else the
 * backend's, else memory. On the broker's or backend's URL it takes their TLS and
 * Sentinel settings.
 */
export function openTaskHistory(
  history: ResolvedHistoryOptions,
  app: Connections,
): TaskHistory {
  const caps = {
    maxTasks: history.maxTasks,
    maxAgeSeconds: history.maxAgeSeconds,
  };
  const url =
    history.url ?? [app.broker, app.backend].find(isRedis) ?? 'memory://';
  if (!isRedis(url)) return new MemoryTaskHistory(caps);
  const settings =
    url === app.broker
      ? (app.brokerOptions as Record<string, unknown>)
      : url === app.backend
        ? (app.backendOptions as Record<string, unknown>)
        : {};
  return new RedisTaskHistory(url, {
    ...caps,
    keyPrefix: history.keyPrefix,
    tls: settings?.tls as RedisTaskHistoryTls,
    sentinel: settings?.sentinel as RedisTaskHistorySentinel,
  });
}

type RedisTaskHistoryTls = ConstructorParameters<
  typeof RedisTaskHistory
>[1]['tls'];
type RedisTaskHistorySentinel = ConstructorParameters<
  typeof RedisTaskHistory
>[1]['sentinel'];

function isRedis(url: string | null): url is string {
  if (!url) return false;
  return REDIS_SCHEMES.includes(url.split(':', 1)[0].toLowerCase());
}
