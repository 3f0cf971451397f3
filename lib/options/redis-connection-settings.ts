import type { RedisSentinelOptions } from '../common/redis-sentinel-options';
import type { TlsOptions } from '../common/tls-options';
import type { ResolvedOptions } from './resolve-options';

/** Where a Redis store beside the broker and backend looks for its settings. */
export type RedisSettingSources = Pick<ResolvedOptions, 'broker'> &
  Partial<
    Pick<ResolvedOptions, 'brokerOptions' | 'backend' | 'backendOptions'>
  >;

/**
 * The TLS settings for a Redis `url` used beside the broker and backend (the tick lock,
 * the rate limiter, the dashboard's history): those of the broker or backend on the same
 * URL, else none (the URL's own `ssl_*` parameters then apply).
 */
export function redisTlsFor(
  url: string,
  sources: RedisSettingSources,
): TlsOptions | undefined {
  const settings = settingsFor(url, sources);
  return settings && 'tls' in settings ? settings.tls : undefined;
}

/**
 * The Sentinel settings (master name, the sentinels' password and TLS) for a Redis `url`
 * used beside the broker and backend: those of the broker or backend on the same URL,
 * else none (the URL's own `master_name` and `sentinel_password` then apply).
 */
export function redisSentinelFor(
  url: string,
  sources: RedisSettingSources,
): RedisSentinelOptions | undefined {
  const settings = settingsFor(url, sources);
  return settings && 'sentinel' in settings ? settings.sentinel : undefined;
}

function settingsFor(url: string, sources: RedisSettingSources) {
  if (url === sources.broker) return sources.brokerOptions;
  if (url === sources.backend) return sources.backendOptions;
  return undefined;
}
