import type {
  RedisBrokerLogger,
  RedisBrokerOptions,
} from '../../common/redis-broker-options';
import { REDIS_MAX_VALUE_BYTES, sizeLimitOption } from '../message-size';

/** Where the transport reports trouble it recovers from (a Nest Logger fits). */
export type RedisTransportLogger = RedisBrokerLogger;

/** Options of `RedisTransport`: the module's `brokerOptions` of a Redis broker. */
export type RedisTransportOptions = RedisBrokerOptions;

/** The options with their defaults; `tls` is the connection's, used by `fromUrl`. */
export type ResolvedRedisTransportOptions = Required<
  Omit<RedisTransportOptions, 'tls'>
>;

export function resolveRedisTransportOptions(
  options: RedisTransportOptions = {},
): ResolvedRedisTransportOptions {
  const leaseMs = positive(options.leaseMs, 30_000, 'leaseMs');
  return {
    keyPrefix: options.keyPrefix ?? '',
    leaseMs,
    renewIntervalMs: positive(
      options.renewIntervalMs,
      Math.max(10, Math.floor(leaseMs / 3)),
      'renewIntervalMs',
    ),
    visibilityTimeout: positive(
      options.visibilityTimeout,
      3600,
      'visibilityTimeout',
    ),
    sweepIntervalMs: positive(
      options.sweepIntervalMs,
      Math.min(5000, Math.max(50, Math.floor(leaseMs / 5))),
      'sweepIntervalMs',
    ),
    delayStore: options.delayStore ?? false,
    fetchBatchSize: positive(options.fetchBatchSize, 200, 'fetchBatchSize'),
    idlePollMs: positive(options.idlePollMs, 200, 'idlePollMs'),
    publishWaitMs: positive(options.publishWaitMs, 10_000, 'publishWaitMs'),
    maxMessageSize: sizeLimitOption(
      options.maxMessageSize,
      REDIS_MAX_VALUE_BYTES,
      'brokerOptions.maxMessageSize',
    ),
    sentinel: options.sentinel ?? {},
    replicaAcks: options.replicaAcks ?? -1,
    connectionName: options.connectionName ?? 'celeriac',
    logger: options.logger ?? console,
  };
}

function positive(
  value: number | undefined,
  fallback: number,
  name: string,
): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(
      `RedisTransport option ${name} must be a positive number, got ${value}`,
    );
  }
  return value;
}
