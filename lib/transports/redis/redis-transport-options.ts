import { TlsOptions } from '../../common/tls-options';
import type { RedisSentinelOptions } from '../../common/redis-sentinel-options';
import { REDIS_MAX_VALUE_BYTES, sizeLimitOption } from '../message-size';
/** Where the transport reports trouble it recovers from (a Nest Logger fits). */
export interface RedisTransportLogger {
  warn(message: string): void;
  error(message: string): void;
}

/** Options of `RedisTransport`; every one has a default. */
export interface RedisTransportOptions {
  /** Prepended to every key, as kombu's `global_keyprefix`. Default ''. */
  keyPrefix?: string;
  /**
   * How long a delivery stays ours without renewal (ms). Live consumers renew every
   * `renewIntervalMs`; a dead process's deliveries come back after this. Default 30 000.
   */
  leaseMs?: number;
  /** How often held deliveries are renewed (ms). Default leaseMs / 3. */
  renewIntervalMs?: number;
  /**
   * kombu's `visibility_timeout` (seconds): deliveries without a lease of ours (taken
   * by Python workers) are restored after this, as kombu does. Default 3600.
   */
  visibilityTimeout?: number;
  /** How often a consuming transport looks for deliveries to restore (ms). Default leaseMs / 5, 50..5000. */
  sweepIntervalMs?: number;
  /**
   * Where a message with a future `eta` waits. false (the default): on the queue's
   * list with its `eta` header, Celery's way, so any consumer runs it, Python Celery
   * included; the worker that takes it holds it until due (Celeriac renews its lease,
   * so it is not redelivered meanwhile). true: in Celeriac's delay store, moved to the
   * list when due by any Celeriac consumer (never by Celery): nothing is held in a
   * worker's memory, but only a fleet with a Celeriac consumer of the queue runs it.
   * A predicate chooses per queue. See docs/redis.md, Delays.
   */
  delayStore?: boolean | ((queue: string) => boolean);
  /** Most messages taken per fetch (one Lua call). Default 200. */
  fetchBatchSize?: number;
  /**
   * An idle consumer wakes at once for messages Celeriac publishes; this is how often
   * it also looks for messages pushed by others (Python), which do not wake it (ms).
   * Default 200.
   */
  idlePollMs?: number;
  /**
   * How long `publish` waits for Redis when the connection is down, or for a reply
   * when it drops mid-command, before rejecting (ms). Default 10 000.
   */
  publishWaitMs?: number;
  /**
   * Largest message `publish` sends, in bytes (kombu's envelope, base64 body included):
   * larger ones are refused with MessageTooLargeError. Default 512 MiB, Redis's own
   * limit on a value (`proto-max-bulk-len`).
   */
  maxMessageSize?: number;
  /**
   * With a `sentinel://` URL: the master's name and the sentinels' password (else
   * `?master_name=` and `?sentinel_password=` on the URL). See README, Production.
   */
  sentinel?: RedisSentinelOptions;
  /**
   * Replicas that must have each published message before `publish` resolves (Redis
   * `WAIT`): with Sentinel, a failover then loses no message whose send resolved (Redis
   * replicates asynchronously; without it, the last writes before a crash can be lost).
   * A send that is written but not confirmed in `publishWaitMs` rejects (the message may
   * still run: at least once). Default 1 with a `sentinel://` URL, else 0.
   */
  replicaAcks?: number;
  /** CLIENT SETNAME of the connections (a suffix tells them apart). Default 'celeriac'. */
  connectionName?: string;
  /** TLS of a `rediss://` URL: the CA, a client certificate, the server name. */
  tls?: TlsOptions;
  /** Default: console. */
  logger?: RedisTransportLogger;
}

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
