import { Duration, toMilliseconds } from '../common/duration';

/**
 * What Celeriac needs of a prom-client `Registry` (prom-client's own class fits): the
 * app's registry, so one `/metrics` serves the app's metrics and Celeriac's.
 */
export interface MetricsRegistry {
  registerMetric(metric: any): void;
  getSingleMetric(name: string): unknown;
  removeSingleMetric(name: string): void;
  getMetricsAsArray(): Array<{ name: string }>;
  metrics(): Promise<string>;
  readonly contentType: string;
}

/** Queue depth sampling (module option `metrics.queueDepth`). */
export interface QueueDepthOptions {
  /** Queues to sample. Default: this process's worker queues, else the default queue. */
  queues?: string[];
  /** How often (seconds or '15s'). Default 15 s. */
  interval?: Duration;
}

/** Prometheus metrics with prom-client (module option `metrics`). See docs/observability.md. */
export interface MetricsOptions {
  /**
   * The app's prom-client registry (prom-client's global `register`, say, which
   * `@willsoto/nestjs-prometheus` serves). Default: a registry of Celeriac's own, served
   * by `TaskQueueMetricsController` or `TaskQueueMetrics.metrics()`.
   */
  registry?: MetricsRegistry;
  /** Bucket bounds of the runtime histogram, in seconds. */
  runtimeBuckets?: number[];
  /** Bucket bounds of the queue wait histogram (sent to started), in seconds. */
  waitBuckets?: number[];
  /**
   * Sample the depth of queues at an interval (one cheap broker call per queue). Every
   * process that turns it on asks the broker: turn it on in one process of the fleet
   * (the web app or the beat, say). Default off.
   */
  queueDepth?: boolean | QueueDepthOptions;
}

/**
 * What Celeriac needs of an OpenTelemetry TracerProvider (`@opentelemetry/api`'s
 * `TracerProvider` fits).
 */
export interface TracerProviderLike {
  getTracer(name: string, version?: string): unknown;
}

/** OpenTelemetry tracing with `@opentelemetry/api` (module option `tracing`). */
export interface TracingOptions {
  /** Default: the global provider the app's SDK registers. */
  tracerProvider?: TracerProviderLike;
}

/** Celery's monitoring events (module option `events`). See docs/events.md. */
export interface EventOptions {
  /**
   * Workers send task events (`task-received`, `task-started`, `task-succeeded`...):
   * Celery's `worker_send_task_events` / `celery worker -E`. Default true when
   * `events` is given; a worker's own `events` option wins, and `enable_events` /
   * `disable_events` switch it at run time.
   */
  tasks?: boolean;
  /** Producers send `task-sent` for each message (Celery's `task_send_sent_event`). Default false. */
  sent?: boolean;
  /** How often a worker sends `worker-heartbeat` (seconds or '2s'). Default 2 s, as Celery. */
  heartbeatInterval?: Duration;
}

/** The `events` option with its defaults. */
export interface ResolvedEventOptions {
  tasks: boolean;
  sent: boolean;
  heartbeatMs: number;
}

export function resolveEventOptions(
  events: boolean | EventOptions | undefined,
): ResolvedEventOptions {
  const options = typeof events === 'object' ? events : {};
  const on = events !== undefined && events !== false;
  return {
    tasks: on && options.tasks !== false,
    sent: on && options.sent === true,
    heartbeatMs: positiveMs(
      options.heartbeatInterval ?? 2,
      'events.heartbeatInterval',
    ),
  };
}

/** Health checks (module option `health`). */
export interface HealthOptions {
  /** How often the process checks its broker connection and notes a heartbeat. Default 2 s. */
  heartbeatInterval?: Duration;
}

export const DEFAULT_RUNTIME_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300,
];
export const DEFAULT_WAIT_BUCKETS = [
  0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 1800,
];

export interface ResolvedMetricsOptions {
  registry: MetricsRegistry | null;
  runtimeBuckets: number[];
  waitBuckets: number[];
  queueDepth: { queues: string[] | null; intervalMs: number } | null;
}

export function resolveMetricsOptions(
  metrics: boolean | MetricsOptions | undefined,
): ResolvedMetricsOptions | null {
  if (!metrics) return null;
  const options = metrics === true ? {} : metrics;
  const depth = options.queueDepth;
  const depthOptions = depth === true ? {} : depth || null;
  return {
    registry: options.registry ?? null,
    runtimeBuckets: buckets(options.runtimeBuckets, DEFAULT_RUNTIME_BUCKETS),
    waitBuckets: buckets(options.waitBuckets, DEFAULT_WAIT_BUCKETS),
    queueDepth: depthOptions && {
      queues: depthOptions.queues?.length ? [...depthOptions.queues] : null,
      intervalMs: positiveMs(
        depthOptions.interval ?? 15,
        'metrics.queueDepth.interval',
      ),
    },
  };
}

export function resolveTracingOptions(
  tracing: boolean | TracingOptions | undefined,
): TracingOptions | null {
  if (!tracing) return null;
  return tracing === true ? {} : tracing;
}

export function resolveHealthOptions(health: HealthOptions | undefined): {
  heartbeatIntervalMs: number;
} {
  return {
    heartbeatIntervalMs: positiveMs(
      health?.heartbeatInterval ?? 2,
      'health.heartbeatInterval',
    ),
  };
}

function buckets(given: number[] | undefined, fallback: number[]): number[] {
  if (given === undefined) return fallback;
  const sorted = [...given].sort((a, b) => a - b);
  if (
    sorted.length === 0 ||
    sorted.some((b) => !(b > 0) || !Number.isFinite(b))
  ) {
    throw new RangeError(
      `metrics buckets must be positive numbers of seconds, got ${JSON.stringify(given)}`,
    );
  }
  return sorted;
}

function positiveMs(value: Duration, what: string): number {
  const ms = toMilliseconds(value, 's', what);
  if (!(ms > 0))
    throw new RangeError(`${what} must be more than 0, got ${String(value)}`);
  return ms;
}

/**
 * An HTTP server of this process that serves `/metrics` and `/health`: for workers and
 * beats started without HTTP (`bootstrapWorker(..., { metricsPort })`).
 */
export interface MonitoringEndpoint {
  /** Listens on `port` (0: any free port); resolves with the port it listens on. */
  listen(port: number, host?: string): Promise<number>;
}
