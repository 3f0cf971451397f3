import type {
  RedisBrokerLogger,
  RedisBrokerOptions,
} from '../common/redis-broker-options';
import type {
  AmqpConnectionOptions,
  AmqpLogger,
} from '../common/amqp-connection-options';
import { RedisSentinelOptions } from '../common/redis-sentinel-options';
import { TlsOptions } from '../common/tls-options';
import { isPlainObject } from '../common/object-kind';
import { urlScheme } from '../common/url-scheme';
import { UnknownOptionError } from './errors';

export type { RedisBrokerLogger, RedisBrokerOptions };

/** Where the AMQP broker and `rpc://` backend report what they do; a Nest `Logger` fits. */
export type AmqpBrokerLogger = AmqpLogger;

/** Declaration settings of one queue on RabbitMQ, as Celery's `task_queues`. */
export interface AmqpBrokerQueueOptions {
  /** `x-max-priority` (Celery's `Queue(..., max_priority=n)`). Classic queues only. */
  maxPriority?: number;
  /** `quorum`: declared with `x-queue-type: quorum`, as Celery 5.5 does. Default: `queueType`. */
  queueType?: 'classic' | 'quorum';
  /** Quorum queues: `x-delivery-limit`, past which RabbitMQ dead-letters into `<queue>.dead`. */
  deliveryLimit?: number;
  /** Type of the queue's own exchange; `topic` enables Celery 5.5's delays. Default: `exchangeType`. */
  exchangeType?: 'direct' | 'topic';
}

/** `brokerOptions` of an `amqp://` or `amqps://` broker (docs/rabbitmq.md, URL and options). */
export interface AmqpBrokerOptions extends AmqpConnectionOptions {
  /** How long a publish waits for the broker during an outage before it rejects (ms). Default 10 000. */
  publishTimeoutMs?: number;
  /** `x-max-priority` for every queue (Celery's `task_queue_max_priority`). Default none. */
  queueMaxPriority?: number;
  /** Type of every queue not named in `queues` (Celery 5.5's `task_default_queue_type`). Default `classic`. */
  queueType?: 'classic' | 'quorum';
  /** Type of each queue's own exchange (Celery's `task_create_missing_queue_exchange_type`). Default `direct`. */
  exchangeType?: 'direct' | 'topic';
  /** Settings of named queues; they win over `queueMaxPriority`, `queueType` and `exchangeType`. */
  queues?: Record<string, AmqpBrokerQueueOptions>;
  /** Queue type of Celery 5.5's `celery_delayed_*` levels. Default `quorum`. */
  celeryDelayQueueType?: 'classic' | 'quorum';
  /** kombu's prefix of the `celery_delayed_*` names. Default none. */
  celeryDelayPrefix?: string;
  /** Name prefix of the delay exchanges and queues. Default `celeriac.delay`. */
  delayPrefix?: string;
  /** Queue type of the delay levels. Default `classic`. */
  delayQueueType?: 'classic' | 'quorum';
  /** Where dead letters of `queue` go. Default `<queue>.dead`. */
  deadLetterQueue?: (queue: string) => string;
  /** Also bound the consumer channel as a whole (global QoS). Default false. */
  globalQos?: boolean;
  /** Largest message body `publish` sends (bytes); larger: MessageTooLargeError. Default 128 MiB (RabbitMQ 3.x; 16 MiB from 4.0). */
  maxMessageSize?: number;
}

/** `backendOptions` of a `redis://` or `rediss://` result backend (docs/redis.md, Result backend). */
export interface RedisBackendOptions {
  /** Prepended to every key, as Celery's `global_keyprefix`. Default ''. */
  keyPrefix?: string;
  /** CLIENT SETNAME of the connections. Default 'celeriac-results'. */
  connectionName?: string;
  /** Largest result stored (bytes of its JSON); larger: the task's FAILURE MessageTooLargeError. Default 512 MiB. */
  maxResultSize?: number;
  /** With a `sentinel://` URL: the master's name and the sentinels' password. */
  sentinel?: RedisSentinelOptions;
  /** TLS of a `rediss://` URL (docs/redis.md, TLS). */
  tls?: TlsOptions;
  /** Told of a configuration error. Default: a Nest `Logger`. */
  logger?: { error(message: string): void };
}

/** `backendOptions` of the `rpc://` result backend (docs/rabbitmq.md, rpc:// results). */
export interface RpcBackendOptions {
  /** The reply queue's durability; default transient before RabbitMQ 4, durable from 4 on. */
  replyQueueDurable?: boolean;
  /** How long a store waits for the broker during an outage (ms). Default 10 000. */
  publishTimeoutMs?: number;
  /** The client's id, naming its reply queue. Default: a random uuid. */
  oid?: string;
  /** Largest reply sent (bytes); larger: the task's FAILURE MessageTooLargeError. Default 128 MiB. */
  maxResultSize?: number;
  /** Default: a Nest `Logger`. */
  logger?: AmqpBrokerLogger;
}

/** `backendOptions` of a `db+postgresql://` result backend (docs/postgres.md). */
export interface PostgresBackendOptions {
  /** Schema of both tables and their sequences (Celery's `database_table_schemas`). Default: the search path. */
  schema?: string;
  /** The task table (Celery's `database_table_names`). Default 'celery_taskmeta'. */
  task?: string;
  /** The group table. Default 'celery_tasksetmeta'. */
  group?: string;
  /** Create the schema, sequences and tables when missing. Default true. */
  createTables?: boolean;
  /** How often waits read their rows (ms). Default 250. */
  pollIntervalMs?: number;
  /** node-postgres `Pool` options (max, ssl, idleTimeoutMillis...). Default `{ max: 4 }`. */
  pool?: Record<string, unknown>;
  /** Told of a failed poll. Default: a Nest `Logger`. */
  logger?: { error(message: string): void };
}

/** The module's `brokerOptions`: those of the broker its URL names. A `memory://` broker takes none. */
export type BrokerOptions = RedisBrokerOptions | AmqpBrokerOptions;

/** The module's `backendOptions`: those of the backend its URL names. A `memory://` backend takes none. */
export type BackendOptions =
  RedisBackendOptions | RpcBackendOptions | PostgresBackendOptions;

// Every key of each type, checked complete by the compiler.
const REDIS_BROKER_KEYS: Record<keyof RedisBrokerOptions, true> = {
  keyPrefix: true,
  leaseMs: true,
  renewIntervalMs: true,
  visibilityTimeout: true,
  sweepIntervalMs: true,
  delayStore: true,
  fetchBatchSize: true,
  idlePollMs: true,
  publishWaitMs: true,
  maxMessageSize: true,
  sentinel: true,
  replicaAcks: true,
  connectionName: true,
  tls: true,
  logger: true,
};
const AMQP_BROKER_KEYS: Record<keyof AmqpBrokerOptions, true> = {
  heartbeat: true,
  connectionName: true,
  tls: true,
  socketOptions: true,
  reconnectMinMs: true,
  reconnectMaxMs: true,
  publishTimeoutMs: true,
  queueMaxPriority: true,
  queueType: true,
  exchangeType: true,
  queues: true,
  celeryDelayQueueType: true,
  celeryDelayPrefix: true,
  delayPrefix: true,
  delayQueueType: true,
  deadLetterQueue: true,
  globalQos: true,
  maxMessageSize: true,
  logger: true,
};
const REDIS_BACKEND_KEYS: Record<keyof RedisBackendOptions, true> = {
  keyPrefix: true,
  connectionName: true,
  maxResultSize: true,
  sentinel: true,
  tls: true,
  logger: true,
};
const POSTGRES_BACKEND_KEYS: Record<keyof PostgresBackendOptions, true> = {
  schema: true,
  task: true,
  group: true,
  createTables: true,
  pollIntervalMs: true,
  pool: true,
  logger: true,
};
const RPC_BACKEND_KEYS: Record<keyof RpcBackendOptions, true> = {
  replyQueueDurable: true,
  publishTimeoutMs: true,
  oid: true,
  maxResultSize: true,
  logger: true,
};

const BROKER_KEYS: Record<string, Record<string, true>> = {
  memory: {},
  redis: REDIS_BROKER_KEYS,
  rediss: REDIS_BROKER_KEYS,
  sentinel: REDIS_BROKER_KEYS,
  'redis+sentinel': REDIS_BROKER_KEYS,
  amqp: AMQP_BROKER_KEYS,
  amqps: AMQP_BROKER_KEYS,
};
const BACKEND_KEYS: Record<string, Record<string, true>> = {
  memory: {},
  redis: REDIS_BACKEND_KEYS,
  rediss: REDIS_BACKEND_KEYS,
  sentinel: REDIS_BACKEND_KEYS,
  'redis+sentinel': REDIS_BACKEND_KEYS,
  rpc: RPC_BACKEND_KEYS,
  'db+postgresql': POSTGRES_BACKEND_KEYS,
  'db+postgres': POSTGRES_BACKEND_KEYS,
  'db+postgresql+psycopg2': POSTGRES_BACKEND_KEYS,
};

/**
 * `brokerOptions` checked against the broker its URL names: a key that broker does not
 * take is an UnknownOptionError. `broker` is the URL, or null for a transport instance
 * (which takes no options: it was built by the app). An unknown scheme is left to the
 * module, which names it.
 */
export function checkBrokerOptions(
  broker: string | null,
  options: object | undefined,
): void {
  checkKeys('brokerOptions', 'broker', broker, options, BROKER_KEYS);
}

/** `backendOptions` checked as `checkBrokerOptions` checks the broker's. */
export function checkBackendOptions(
  backend: string | null,
  options: object | undefined,
): void {
  checkKeys('backendOptions', 'result backend', backend, options, BACKEND_KEYS);
}

const TLS_KEYS: Record<keyof TlsOptions, true> = {
  ca: true,
  cert: true,
  key: true,
  servername: true,
  rejectUnauthorized: true,
};
const SENTINEL_KEYS: Record<keyof RedisSentinelOptions, true> = {
  masterName: true,
  password: true,
  tls: true,
};
/** The options that are objects of known keys themselves, wherever they appear. */
const NESTED: Record<string, Record<string, true>> = {
  tls: TLS_KEYS,
  sentinel: SENTINEL_KEYS,
};

function checkKeys(
  option: string,
  what: string,
  url: string | null,
  options: object | undefined,
  table: Record<string, Record<string, true>>,
): void {
  if (options === undefined) return;
  const scheme = url === null ? null : (urlScheme(url) ?? '');
  const known = scheme === null ? {} : table[scheme];
  if (!known) return;
  const target =
    scheme === null ? `a ${what} instance` : `the ${scheme}:// ${what}`;
  checkObject(option, options, known, target);
}

/** Checks `value`'s keys, then those of its `tls` and `sentinel` objects, by path. */
function checkObject(
  path: string,
  value: object,
  known: Record<string, true>,
  target: string,
): void {
  for (const [key, inner] of Object.entries(value)) {
    if (!Object.hasOwn(known, key))
      throw new UnknownOptionError(
        `${path}.${key}`,
        target,
        Object.keys(known),
      );
    const nested = NESTED[key];
    if (nested && isPlainObject(inner))
      checkObject(`${path}.${key}`, inner, nested, target);
  }
}
