import { MemoryTickLock } from '../locks/memory/memory-tick-lock';
import { RedisTickLock } from '../locks/redis/redis-tick-lock';
import { BeatConfigurationError } from '../scheduler/errors';
import { TickLockConfig, TickLockFactory } from '../scheduler/scheduler.tokens';
import { TickLock } from '../locks/tick-lock';
import { redact } from './connections';
import {
  RedisSettingSources,
  redisSentinelFor,
  redisTlsFor,
} from '../options/redis-connection-settings';
import { REDIS_SCHEMES } from '../drivers/redis/redis-url';
import { urlScheme } from '../common/url-scheme';

/**
 * The one place where a URL scheme picks beat's tick lock store: `lockUrl` when given,
 * else the broker's own server (Redis) or store (memory). RabbitMQ has no place for it:
 * beat then needs `lockUrl`, and says so.
 */
export function createTickLockFactory(
  options: RedisSettingSources,
): TickLockFactory {
  return (config: TickLockConfig) =>
    createTickLock(
      config.lockUrl ?? defaultLockUrl(options.broker),
      config,
      options,
    );
}

function createTickLock(
  url: string,
  config: TickLockConfig,
  options: RedisSettingSources,
): TickLock {
  const scheme = urlScheme(url);
  switch (scheme) {
    case 'memory':
      return MemoryTickLock.named(
        `${url.replace(/^memory:\/\//i, '') || 'default'}|${config.keyPrefix}`,
      );
    case 'redis':
    case 'rediss':
    case 'sentinel':
    case 'redis+sentinel':
      return new RedisTickLock(url, {
        keyPrefix: config.keyPrefix,
        sentinel: redisSentinelFor(url, options),
        tls: redisTlsFor(url, options),
      });
    default:
      throw new BeatConfigurationError(
        `beat lockUrl ${JSON.stringify(redact(url))}: beat keeps its tick lock in Redis ` +
          `(redis://, rediss:// or sentinel://) or, in a single process, in memory (memory://)`,
      );
  }
}

function defaultLockUrl(broker: string | null): string {
  if (broker === null)
    throw new BeatConfigurationError(
      `beat keeps its fleet-wide tick lock in Redis, and the broker is a transport of your own: give lockUrl, ` +
        `the same for every beat of the fleet: TaskQueueModule.forRoot({ ..., beat: { lockUrl: 'redis://...' } }) ` +
        `or bootstrapBeat(AppModule, { lockUrl: 'redis://...' }) (see docs/extending.md)`,
    );
  const scheme = broker.split(':', 1)[0].toLowerCase();
  if (scheme === 'memory' || REDIS_SCHEMES.includes(scheme)) return broker;
  throw new BeatConfigurationError(
    `beat needs a Redis for its fleet-wide tick lock, and the broker ${redact(broker)} is not Redis. ` +
      `Give one, the same for every beat of the fleet: TaskQueueModule.forRoot({ ..., ` +
      `beat: { lockUrl: 'redis://...' } }) or bootstrapBeat(AppModule, { lockUrl: 'redis://...' })`,
  );
}
