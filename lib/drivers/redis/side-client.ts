import Redis, { RedisOptions } from 'ioredis';
import { RedisSentinelOptions } from '../../common/redis-sentinel-options';
import { TlsOptions } from '../../common/tls-options';
import { guardConfiguration } from './refusal';
import { describeRedis, parseRedisUrl } from './redis-url';
import { keepCommandsYoung } from './young-commands';

/** Where a side client connects, beside the URL. */
export interface SideClientOptions {
  /** With a `sentinel://` URL: the master's name and the sentinels' password. */
  sentinel?: RedisSentinelOptions;
  /** TLS of a `rediss://` URL: the CA, a client certificate, the server name. */
  tls?: TlsOptions;
  /** ioredis options of the app's, applied last. */
  redisOptions?: RedisOptions;
}

/**
 * A Redis client for one of the library's side jobs (the beat's tick lock, the fleet's
 * rate limits, the dashboard's history): it connects on first use, stops for good on a
 * configuration error (logged once by guardConfiguration), and reports an outage only
 * through the commands that fail, whose callers say what they could not do.
 */
export function openSideClient(
  url: string,
  options: SideClientOptions,
  defaults: RedisOptions = {},
): Redis {
  keepCommandsYoung();
  const client = new Redis({
    ...parseRedisUrl(url, options.sentinel, options.tls),
    lazyConnect: true,
    ...defaults,
    ...options.redisOptions,
  });
  guardConfiguration(client, describeRedis(client.options));
  client.on('error', () => undefined);
  return client;
}
