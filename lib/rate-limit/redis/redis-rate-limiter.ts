import Redis from 'ioredis';
import {
  SideClientOptions,
  openSideClient,
} from '../../drivers/redis/side-client';
import { rateReserveScript } from '../../drivers/redis/scripts';
import { Rate } from '../rate';
import { RateLimiter } from '../rate-limiter';
import { closeConnection } from '../../drivers/redis/close-connection';

/** Beside the Redis transport's own keys (`_celeriac.leases`, `_celeriac.delayed.<queue>`). */
export const DEFAULT_KEY_PREFIX = '_celeriac.rate.';

export interface RedisRateLimiterOptions extends Omit<
  SideClientOptions,
  'redisOptions'
> {
  /** Prepended to the task name to make its key. Default `_celeriac.rate.`. */
  keyPrefix?: string;
}

/**
 * Fleet-wide rate limits on Redis: every worker reserves its slots on one key per task
 * type, atomically (one Lua script), so the fleet together keeps the rate. Connects on
 * first use: an app whose tasks have no fleet limit never opens the connection.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly client: Redis;
  private readonly prefix: string;

  constructor(url: string, options: RedisRateLimiterOptions = {}) {
    this.prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    // An outage is reported by the rejected reserve().
    this.client = openSideClient(url, options, {
      connectionName: 'celeriac:rate-limit',
      maxRetriesPerRequest: 3,
    });
  }

  async reserve(key: string, rate: Rate): Promise<number> {
    const intervalUs = Math.max(1, Math.round(rate.intervalMs * 1000));
    const waitUs = await rateReserveScript.run(
      this.client,
      [this.prefix + key],
      [String(intervalUs)],
    );
    return Number(waitUs) / 1000;
  }

  close(): Promise<void> {
    return closeConnection(this.client);
  }
}
