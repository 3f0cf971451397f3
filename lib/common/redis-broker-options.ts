import { RedisSentinelOptions } from './redis-sentinel-options';
import { TlsOptions } from './tls-options';

/** Where the Redis broker reports trouble it recovers from; a Nest `Logger` fits. */
export interface RedisBrokerLogger {
  warn(message: string): void;
  error(message: string): void;
}

/**
 * `brokerOptions` of a `redis://`, `rediss://` or `sentinel://` broker, and the options of
 * `RedisTransport` (docs/redis.md, Options); every one has a default.
 */
export interface RedisBrokerOptions {
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
  /**
   * TLS of a `rediss://` URL (the CA, a client certificate, the server name), or to the
   * master of a `sentinel://` one; also used by the tick lock and rate limiter on the
   * same URL (docs/redis.md, TLS).
   */
  tls?: TlsOptions;
  /** Default: a Nest `Logger` in the module; console for a `RedisTransport` built by hand. */
  logger?: RedisBrokerLogger;
}
