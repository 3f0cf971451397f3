import { REDIS_SCHEMES } from '../../drivers/redis/redis-url';
import {
  RedisSettingSources,
  redisSentinelFor,
  redisTlsFor,
} from '../../options/redis-connection-settings';
import { ResolvedHistoryOptions } from '../resolve-dashboard-options';
import { MemoryTaskHistory } from './memory-task-history';
import { RedisTaskHistory } from './redis-task-history';
import { TaskHistory } from './task-history';

/**
 * The history store: `history.url` when given, else the broker's Redis, else the
 * backend's, else memory. On the broker's or backend's URL it takes their TLS and
 * Sentinel settings.
 */
export function openTaskHistory(
  history: ResolvedHistoryOptions,
  app: RedisSettingSources,
): TaskHistory {
  const caps = {
    maxTasks: history.maxTasks,
    maxAgeSeconds: history.maxAgeSeconds,
  };
  const url =
    history.url ?? [app.broker, app.backend].find(isRedis) ?? 'memory://';
  if (!isRedis(url)) return new MemoryTaskHistory(caps);
  return new RedisTaskHistory(url, {
    ...caps,
    keyPrefix: history.keyPrefix,
    tls: redisTlsFor(url, app),
    sentinel: redisSentinelFor(url, app),
  });
}

function isRedis(url: string | null | undefined): url is string {
  if (!url) return false;
  return REDIS_SCHEMES.includes(url.split(':', 1)[0].toLowerCase());
}
