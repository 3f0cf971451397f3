import { MemoryRateLimiter } from '../rate-limit/memory/memory-rate-limiter';
import { RateLimiter } from '../rate-limit/rate-limiter';
import {
  DEFAULT_KEY_PREFIX,
  RedisRateLimiter,
} from '../rate-limit/redis/redis-rate-limiter';
import { ResultBackend } from '../results/result-backend';
import {
  RevocationStore,
  isRevocationStore,
} from '../results/revocation-store';
import { ControlBus, isControlBus } from '../transports/control-bus';
import { Transport } from '../transports/transport';
import { EventBus, isEventBus } from '../transports/event-bus';
import { redact } from './connections';
import {
  redisSentinelFor,
  redisTlsFor,
} from '../options/redis-connection-settings';
import { REDIS_SCHEMES } from '../drivers/redis/redis-url';
import { ResolvedOptions } from '../options/resolve-options';
import { RedisBrokerOptions } from '../options/connection-options';

/** The transport's control bus (Celery's pidbox broadcast), when its broker has one. */
export function createControlBus(transport: Transport): ControlBus | null {
  return isControlBus(transport) ? transport : null;
}

/** The transport's event bus (Celery's `celeryev` exchange), when its broker has one. */
export function createEventBus(transport: Transport): EventBus | null {
  return isEventBus(transport) ? transport : null;
}

/** Where revokes are kept: the result backend if it can, else the transport, else nowhere. */
export function createRevocationStore(
  backend: ResultBackend,
  transport: Transport,
): RevocationStore | null {
  if (isRevocationStore(backend)) return backend;
  if (isRevocationStore(transport)) return transport;
  return null;
}

/** The fleet-wide rate limiter named by `rateLimitStore` (Redis only when a redis URL is set). */
export function createFleetRateLimiter(
  options: ResolvedOptions,
): RateLimiter | null {
  const url = options.rateLimitStore;
  if (url === null) return null;
  const scheme = url.split(':', 1)[0].toLowerCase();
  if (scheme === 'memory')
    return MemoryRateLimiter.named(
      url.replace(/^memory:\/\//, '') || 'default',
    );
  if (REDIS_SCHEMES.includes(scheme)) {
    // On the broker's own Redis, behind its key prefix (kombu's global_keyprefix).
    const brokerPrefix =
      url === options.broker
        ? (options.brokerOptions as RedisBrokerOptions).keyPrefix
        : undefined;
    return new RedisRateLimiter(url, {
      keyPrefix: `${brokerPrefix ?? ''}${DEFAULT_KEY_PREFIX}`,
      tls: redisTlsFor(url, options),
      sentinel: redisSentinelFor(url, options),
    });
  }
  throw new Error(
    `rateLimitStore ${redact(url)}: the scheme "${scheme}:" is not supported (use redis://, rediss://, sentinel:// or memory://)`,
  );
}
