import { Duration } from '../common/duration';
import { ResultBackend } from '../results/result-backend';
import { Transport } from '../transports/transport';
import { TaskOptions } from './task-options';
import { BeatOptions } from './beat-options';
import { TaskRoutes } from './route-options';
import { PoolOptions } from './pool-options';
import { BackendOptions, BrokerOptions } from './connection-options';
import {
  EventOptions,
  HealthOptions,
  MetricsOptions,
  TracingOptions,
} from './observability-options';

/** A worker: which queues it consumes and how many tasks it runs at once. */
export interface WorkerOptions {
  /** Queues to consume, fairly in turn. Default: the module's default queue. */
  queues?: string[];
  /** Most tasks running at once in this process. Default 10. */
  concurrency?: number;
  /**
   * Deliveries held per concurrency slot (Celery's worker_prefetch_multiplier).
   * Default 2: one running, one ready; 1 is best for long tasks.
   */
  prefetchMultiplier?: number;
  /** On shutdown, how long running tasks may take to finish (seconds or '30s'). Default 30 s. */
  shutdownTimeout?: Duration;
  /**
   * The worker's Celery node name, as `celery worker -n`: `'worker1@%h'`, `'%p@%h'`
   * (`%h` host, `%n` short host, `%d` domain, `%i`, `%I`, `%p` pid, `%%`; see
   * docs/control.md). `celery inspect` and `FleetControl` answer under it. Default
   * `celeriac@<host>`, or `celeriac.<pid>@<host>` when another worker answers to that;
   * a name set here that another live worker holds fails the start. The same name is
   * the `worker` of extended results and the `hostname` of STARTED.
   */
  nodeName?: string;
  /**
   * Run every task in child processes (Celery's prefork pool), or give the pool of tasks
   * marked `isolate: 'process'` its options. With a pool and no `concurrency`,
   * concurrency is processes x childConcurrency. See docs/isolation.md.
   */
  pool?: PoolOptions;
  /**
   * This worker sends task events (Celery's `celery worker -E`), whatever the module's
   * `events` option says. Worker events (online, heartbeat, offline) are always sent.
   */
  events?: boolean;
}

/** How `failFast` checks the broker and the result backend at boot. */
export interface FailFastOptions {
  /** How long to wait for each connection (seconds or '10s'). Default 10 s. */
  timeout?: Duration;
}

/** The options of `TaskQueueModule.forRoot` / `forRootAsync`. */
export interface TaskQueueModuleOptions {
  /**
   * `memory://[name]` (default), `redis://`, `rediss://`, `amqp://`, `amqps://`; or a
   * `Transport` of your own (see docs/extending.md), which then needs `backend` too.
   */
  broker?: string | Transport;
  /**
   * Where results are stored: `memory://[name]`, `redis://...`, `rpc://`, or a
   * `ResultBackend` of your own (docs/extending.md). Default: the memory broker's own
   * store, the Redis broker's server, `rpc://` on AMQP; none for your own transport.
   */
  backend?: string | ResultBackend;
  /** The queue a task goes to when neither the call nor the task names one. Default `celery`. */
  defaultQueue?: string;
  /**
   * Which queue a task goes to when the call does not name one (Celery's
   * `task_routes`): `{ 'billing.*': 'billing', 'mail.send': { queue: 'mail' } }`, a
   * function `(name, args, kwargs) => queue`, or a list of those tried in order. A
   * call's `queue` and a `@Task({ queue })` win over a route; a route wins over
   * `taskDefaults.queue` and `defaultQueue`. See docs/interop.md.
   */
  routes?: TaskRoutes;
  /** Defaults for every task; `@Task` options and per-call options override them. */
  taskDefaults?: Omit<TaskOptions, 'name'>;
  /**
   * Every task stores STARTED (with `pid` and `hostname`) before it runs: Celery's
   * `task_track_started`. Default false; a task's own `trackStarted` wins.
   */
  trackStarted?: boolean;
  /** How long results are kept (seconds or '1d'). Default one day, as Celery. */
  resultExpires?: Duration;
  /**
   * Celery's `result_extended`: results also carry `name`, `args`, `kwargs`, `worker`,
   * `retries` and `queue`, as a Celery worker stores them. Default false, as Celery.
   */
  extendedResults?: boolean;
  /**
   * The Celery 5.x the Python side runs ('5.2', '5.4'...): results are written in its
   * form, so Python can compare them with its own. Today it decides `date_done`: naive
   * UTC up to 5.3, with `+00:00` from 5.4. Default '5.2' (Debian's, Ubuntu 22.04's).
   */
  celeryVersion?: string;
  /**
   * @deprecated Use `worker: { nodeName }` (or `bootstrapWorker`'s `worker.nodeName`):
   * one name for remote control and results. Read only when `worker.nodeName` is not set.
   */
  workerName?: string;
  /**
   * Consume in this process too. An HTTP app only produces unless told to; a worker
   * process is started with `bootstrapWorker` instead.
   */
  worker?: boolean | WorkerOptions;
  /**
   * Run beat (the scheduler of @Periodic tasks) in this process too: `true` or options.
   * Any number of processes may: each tick is enqueued once across them. A beat process
   * of its own is started with `bootstrapBeat` instead. See docs/periodic.md.
   */
  beat?: boolean | BeatOptions;
  /**
   * Connect to the broker and the result backend at boot, and fail the boot when either
   * cannot be reached within the timeout (10 s by default) or refuses the configuration.
   * Off by default: the app boots while the broker is down, and sends wait for it (up to
   * their own timeout). A configuration error (a wrong password, a Redis db or an AMQP
   * vhost the server does not have) is logged at ERROR and fails every send either way.
   */
  failFast?: boolean | FailFastOptions;
  /** Run tasks inline when they are sent (Celery's task_always_eager), for unit tests. */
  eager?: boolean;
  /**
   * Options of the broker the `broker` URL names: `RedisBrokerOptions` (docs/redis.md) or
   * `AmqpBrokerOptions` (docs/rabbitmq.md); `memory://` takes none. A key that broker
   * does not take fails the boot with `UnknownOptionError`.
   */
  brokerOptions?: BrokerOptions;
  /**
   * Options of the result backend the `backend` URL names: `RedisBackendOptions`,
   * `RpcBackendOptions` or `PostgresBackendOptions`; `memory://` takes none. Unknown keys are refused as for
   * `brokerOptions`.
   */
  backendOptions?: BackendOptions;
  /**
   * Where fleet-wide rate limits (`fleetRateLimit`) are counted: `redis://...` (every
   * worker process shares it) or `memory://[name]` (one process). Default: the broker
   * when it is Redis or memory; none otherwise (then a fleetRateLimit fails the bootstrap).
   */
  rateLimitStore?: string;
  /**
   * How long a revoke is kept for workers that start later (seconds or '3h').
   * Default 3 h, as Celery's REVOKE_EXPIRES.
   */
  revokeExpires?: Duration;
  /**
   * Prometheus metrics (`celeriac_*`) with prom-client, which the app installs: `true`
   * or options. Off by default; off, nothing is measured. See docs/observability.md.
   */
  metrics?: boolean | MetricsOptions;
  /**
   * OpenTelemetry spans (a producer span per send, a consumer span per run, linked by
   * the `traceparent` header as opentelemetry-instrumentation-celery does) with
   * `@opentelemetry/api`, which the app installs with its SDK. Off by default.
   */
  tracing?: boolean | TracingOptions;
  /**
   * Celery's monitoring events, which `celery events`, Flower and `TaskEvents` read:
   * `true` (workers send task events, as `celery worker -E`) or options. Off by default,
   * as in Celery: workers then send only `worker-online` / `worker-heartbeat` /
   * `worker-offline`, and no task event costs anything. See docs/events.md.
   */
  events?: boolean | EventOptions;
  /** Health checks: how often the heartbeat is noted. */
  health?: HealthOptions;
}
