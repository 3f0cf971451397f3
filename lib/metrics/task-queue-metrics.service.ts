import {
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import type * as PromClient from 'prom-client';
import { loadOptionalPeer } from '../common/optional-peer';
import { TaskLifecycle } from '../lifecycle/task-lifecycle.service';
import { MetricsRegistry } from '../options/observability-options';
import { ResolvedOptions } from '../options/resolve-options';
import { RESOLVED_OPTIONS, TRANSPORT } from '../options/tokens';
import { TaskRegistry } from '../registry/task.registry';
import {
  Transport,
  hasConnectionState,
  hasQueueInspection,
} from '../transports/transport';
import { TaskWorkerService } from '../worker/task-worker.service';
import { QueueDepthSampler } from './queue-depth-sampler';
import { registerStateGauges } from './state-gauges';
import { TaskMetrics } from './task-metrics';

/**
 * Celeriac's Prometheus metrics (module option `metrics`): counts what the task
 * lifecycle reports, reads the worker and broker state when scraped, and samples queue
 * depth when asked to. Serve them with `TaskQueueMetricsController`, or `metrics()`
 * from a controller of your own; on the app's own registry they come with its metrics.
 * With `metrics` off it does nothing (and `metrics()` throws).
 */
@Injectable()
export class TaskQueueMetrics implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('TaskQueueMetrics');
  private target: MetricsRegistry | null = null;
  private sampler: QueueDepthSampler | null = null;
  private readonly cleanups: Array<() => void> = [];

  constructor(
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
    @Inject(TRANSPORT) private readonly transport: Transport,
    private readonly lifecycle: TaskLifecycle,
    private readonly tasks: TaskRegistry,
    private readonly workers: TaskWorkerService,
  ) {}

  /** True when the module option `metrics` is on. */
  get enabled(): boolean {
    return this.options.metrics !== null;
  }

  /** The prom-client registry Celeriac's metrics are on (the app's, or its own). */
  get registry(): MetricsRegistry {
    if (!this.target) throw metricsOff();
    return this.target;
  }

  /** The registry's metrics in Prometheus' text format, and their content type. */
  async metrics(): Promise<{ contentType: string; body: string }> {
    const registry = this.registry;
    return {
      contentType: registry.contentType,
      body: await registry.metrics(),
    };
  }

  onModuleInit(): void {
    const options = this.options.metrics;
    if (!options) return;
    const prom = loadOptionalPeer<typeof PromClient>('prom-client', 'metrics');
    const registry = options.registry ?? new prom.Registry();
    this.target = registry;
    const before = new Set(metricNames(registry));
    const metrics = new TaskMetrics(prom, registry, options, (name) =>
      Boolean(this.tasks.get(name)),
    );
    this.cleanups.push(this.lifecycle.observe(metrics), () => metrics.detach());
    const transport = this.transport;
    if (hasConnectionState(transport)) {
      this.cleanups.push(
        transport.onReconnect(() => metrics.reconnected(transport.kind)),
      );
    }
    if (options.queueDepth) {
      if (!hasQueueInspection(transport)) {
        this.logger.warn(
          `metrics.queueDepth: the ${transport.kind} transport cannot read queue depth; not sampled`,
        );
      } else {
        const { queues, intervalMs } = options.queueDepth;
        this.sampler = new QueueDepthSampler(
          transport,
          () =>
            queues ??
            this.workers.current?.options.queues ?? [this.options.defaultQueue],
          intervalMs,
          (error) =>
            this.logger.warn(
              `Could not read queue depth from ${transport.kind}: ${String(error)}`,
            ),
        );
        this.sampler.start();
      }
    }
    const removeGauges = registerStateGauges(prom, registry, {
      worker: () => this.workers.current,
      connected: () =>
        hasConnectionState(transport) ? transport.connected : null,
      depths: () => this.sampler?.depths ?? [],
    });
    this.cleanups.push(removeGauges);
    // Taken off the registry at shutdown: it may outlive this app (the app's own).
    const added = metricNames(registry).filter((name) => !before.has(name));
    this.cleanups.push(() => {
      for (const name of added) registry.removeSingleMetric(name);
    });
  }

  onApplicationShutdown(): void {
    this.sampler?.stop();
    this.sampler = null;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.target = null;
  }
}

function metricNames(registry: MetricsRegistry): string[] {
  return registry.getMetricsAsArray().map((metric) => metric.name);
}

function metricsOff(): Error {
  return new Error(
    'Celeriac metrics are off: set the module option `metrics` (true, or options) to serve them',
  );
}
