import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Duration, toMilliseconds } from '../common/duration';
import { TaskOptions } from './task-options';
import { ResultBackend } from '../results/result-backend';
import { Transport } from '../transports/transport';
import { TaskRoutes } from './route-options';
import { TaskQueueModuleOptions, WorkerOptions } from './module-options';
import { ResolvedPoolOptions, resolvePoolOptions } from './pool-options';
import {
  BackendOptions,
  BrokerOptions,
  checkBackendOptions,
  checkBrokerOptions,
} from './connection-options';
import {
  ResolvedEventOptions,
  ResolvedMetricsOptions,
  TracingOptions,
  resolveEventOptions,
  resolveHealthOptions,
  resolveMetricsOptions,
  resolveTracingOptions,
} from './observability-options';

export interface ResolvedWorkerOptions {
  queues: string[];
  concurrency: number;
  prefetchMultiplier: number;
  shutdownTimeoutMs: number;
  /** The `nodeName` option as given (formatted when the worker starts); undefined: the default. */
  nodeName: string | undefined;
  /** Set when every task runs in child processes (the `pool` option). */
  pool: ResolvedPoolOptions | null;
  /** The options of the pool that runs tasks marked `isolate: 'process'`. */
  isolatedPool: ResolvedPoolOptions;
  /** The worker's `events` option; undefined: the module's `events.tasks`. */
  taskEvents: boolean | undefined;
}

/** The module's options with every default applied, checked once at bootstrap. */
export interface ResolvedOptions {
  /** The broker's URL; null when the app gave its own `transport`. */
  broker: string | null;
  /** The app's own transport (the `broker` option was one); null for a URL. */
  transport: Transport | null;
  /** The result backend's URL; null when the app gave its own `resultBackend`. */
  backend: string | null;
  /** The app's own result backend (the `backend` option was one); null for a URL. */
  resultBackend: ResultBackend | null;
  defaultQueue: string;
  taskDefaults: Omit<TaskOptions, 'name'>;
  /** As given; the client compiles them (client/task-routes.ts). */
  routes: TaskRoutes | null;
  resultExpiresSeconds: number;
  /** Celery's `result_extended`. */
  extendedResults: boolean;
  /** The Celery version whose result form is written ('5.2' unless set). */
  celeryVersion: string;
  /**
   * The `worker.nodeName` option as given (or the deprecated `workerName`), formatted by
   * the worker; undefined: the default `celeriac@<host>`.
   */
  nodeName: string | undefined;
  /** Set when this process consumes in-process (`worker` option). */
  worker: ResolvedWorkerOptions | null;
  eager: boolean;
  /** How long boot waits for the broker and backend connections; null: it does not. */
  failFastMs: number | null;
  /** Checked to be options of the broker's scheme. */
  brokerOptions: BrokerOptions;
  /** Checked to be options of the backend's scheme. */
  backendOptions: BackendOptions;
  /** `gen<pid>@<host>`, Celery's origin header. */
  origin: string;
  /** This process's client id, used as reply_to (Celery's oid). */
  clientId: string;
  /** Where fleet-wide rate limits are counted; null when nowhere. */
  rateLimitStore: string | null;
  /** How long revokes are kept, in seconds. */
  revokeExpiresSeconds: number;
  /** Null when metrics are off. */
  metrics: ResolvedMetricsOptions | null;
  /** Null when tracing is off. */
  tracing: TracingOptions | null;
  health: { heartbeatIntervalMs: number };
  /** Celery's events: what workers and producers send. */
  events: ResolvedEventOptions;
}

export function resolveOptions(
  options: TaskQueueModuleOptions = {},
): ResolvedOptions {
  const transport = ownTransport(options.broker);
  const resultBackend = ownResultBackend(options.backend);
  const broker = transport ? null : ((options.broker as string) ?? 'memory://');
  const defaultQueue = options.defaultQueue ?? 'celery';
  const backend = resultBackend
    ? null
    : ((options.backend as string | undefined) ?? defaultBackendFor(broker));
  if (backend !== null) checkBackendFitsBroker(backend, broker);
  checkBrokerOptions(broker, options.brokerOptions);
  checkBackendOptions(backend, options.backendOptions);
  const workerOptions =
    typeof options.worker === 'object' ? options.worker : {};
  const nodeName = workerOptions.nodeName ?? options.workerName;
  return {
    broker,
    transport,
    backend,
    resultBackend,
    defaultQueue,
    taskDefaults:
      options.trackStarted === undefined
        ? (options.taskDefaults ?? {})
        : { trackStarted: options.trackStarted, ...options.taskDefaults },
    routes: options.routes ?? null,
    resultExpiresSeconds:
      toMilliseconds(options.resultExpires ?? 86_400, 's', 'resultExpires') /
      1000,
    extendedResults: options.extendedResults ?? false,
    celeryVersion: options.celeryVersion ?? '5.2',
    nodeName,
    worker: options.worker
      ? resolveWorkerOptions({ ...workerOptions, nodeName }, defaultQueue)
      : null,
    eager: options.eager ?? false,
    failFastMs: resolveFailFast(options.failFast),
    brokerOptions: options.brokerOptions ?? {},
    backendOptions: options.backendOptions ?? {},
    origin: `gen${process.pid}@${hostname()}`,
    clientId: randomUUID(),
    rateLimitStore: options.rateLimitStore ?? defaultRateLimitStoreFor(broker),
    revokeExpiresSeconds: positiveSeconds(
      options.revokeExpires ?? 10_800,
      'revokeExpires',
    ),
    metrics: resolveMetricsOptions(options.metrics),
    tracing: resolveTracingOptions(options.tracing),
    health: resolveHealthOptions(options.health),
    events: resolveEventOptions(options.events),
  };
}

export function resolveWorkerOptions(
  options: WorkerOptions,
  defaultQueue: string,
): ResolvedWorkerOptions {
  const pool = options.pool ? resolvePoolOptions(options.pool) : null;
  const concurrency =
    options.concurrency ?? (pool ? pool.processes * pool.childConcurrency : 10);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(
      `worker concurrency must be a whole number of at least 1, got ${concurrency}`,
    );
  }
  const prefetchMultiplier = options.prefetchMultiplier ?? 2;
  if (!Number.isInteger(prefetchMultiplier) || prefetchMultiplier < 1) {
    throw new RangeError(
      `worker prefetchMultiplier must be a whole number of at least 1, got ${prefetchMultiplier}`,
    );
  }
  const queues = options.queues?.length
    ? [...new Set(options.queues)]
    : [defaultQueue];
  return {
    queues,
    concurrency,
    prefetchMultiplier,
    shutdownTimeoutMs: toMilliseconds(
      options.shutdownTimeout ?? 30,
      's',
      'shutdownTimeout',
    ),
    nodeName: options.nodeName,
    pool,
    isolatedPool: pool ?? resolvePoolOptions({}),
    taskEvents: options.events,
  };
}

function resolveFailFast(
  failFast: TaskQueueModuleOptions['failFast'],
): number | null {
  if (!failFast) return null;
  const timeout = failFast === true ? 10 : (failFast.timeout ?? 10);
  return positiveSeconds(timeout, 'failFast.timeout') * 1000;
}

/** Fleet-wide limits live beside the broker when it can keep them. */
function defaultRateLimitStoreFor(broker: string | null): string | null {
  if (broker === null) return null;
  const scheme = broker.split(':', 1)[0];
  if (scheme === 'memory' || isRedis(scheme)) return broker;
  return null;
}

function positiveSeconds(value: Duration, what: string): number {
  const seconds = toMilliseconds(value, 's', what) / 1000;
  if (!(seconds > 0)) {
    throw new RangeError(`${what} must be more than 0, got ${String(value)}`);
  }
  return seconds;
}

/** rpc:// replies travel through the broker: refused before any connection is made. */
function checkBackendFitsBroker(backend: string, broker: string | null): void {
  const scheme = (url: string) => url.split(':', 1)[0].toLowerCase();
  if (scheme(backend) !== 'rpc') return;
  if (broker === null)
    throw new Error(
      'result backend rpc:// replies through the amqp:// broker, and the broker is a transport of your own: give a backend URL such as redis://..., or a ResultBackend',
    );
  if (!/^amqps?$/.test(scheme(broker))) {
    throw new Error(
      `result backend rpc:// needs an amqp:// or amqps:// broker, not ${scheme(broker)}://`,
    );
  }
}

/** The `broker` option when it is a Transport instance; checked to have the contract's methods. */
function ownTransport(
  broker: string | Transport | undefined,
): Transport | null {
  if (broker === undefined || typeof broker === 'string') return null;
  const candidate = broker as Partial<Transport> | null;
  const missing = ['publish', 'consume', 'close'].filter(
    (method) => typeof candidate?.[method as keyof Transport] !== 'function',
  );
  if (typeof candidate?.kind !== 'string') missing.unshift('kind');
  if (missing.length)
    throw new TypeError(
      `broker must be a URL or a Transport; this one lacks ${missing.join(', ')} (see docs/extending.md)`,
    );
  return broker;
}

/** The `backend` option when it is a ResultBackend instance; checked as ownTransport is. */
function ownResultBackend(
  backend: string | ResultBackend | undefined,
): ResultBackend | null {
  if (backend === undefined || typeof backend === 'string') return null;
  const candidate = backend as Partial<ResultBackend> | null;
  const missing = ['store', 'get', 'waitForReady', 'forget', 'close'].filter(
    (method) =>
      typeof candidate?.[method as keyof ResultBackend] !== 'function',
  );
  if (typeof candidate?.kind !== 'string') missing.unshift('kind');
  if (missing.length)
    throw new TypeError(
      `backend must be a URL or a ResultBackend; this one lacks ${missing.join(', ')} (see docs/extending.md)`,
    );
  return backend;
}

/** A Redis server URL: plain, TLS, or found through Sentinel (drivers/redis/redis-url.ts). */
function isRedis(scheme: string): boolean {
  return ['redis', 'rediss', 'sentinel', 'redis+sentinel'].includes(
    scheme.toLowerCase(),
  );
}

/** Celery's usual pairings: results beside the broker where it can keep them. */
function defaultBackendFor(broker: string | null): string {
  if (broker === null)
    throw new Error(
      'the broker is a transport of your own, so there is no default result backend: give `backend`, a URL (redis://...) or a ResultBackend (see docs/extending.md)',
    );
  const scheme = broker.split(':', 1)[0];
  if (scheme === 'memory') return broker;
  if (isRedis(scheme)) return broker;
  if (scheme === 'amqp' || scheme === 'amqps') return 'rpc://';
  return broker;
}
