import type * as PromClient from 'prom-client';
import { MetricsRegistry } from '../options/observability-options';
import { QueueDepth } from '../transports/transport';
import { addCollector, registerOnce, sharedCollect } from './shared-metric';

/** What the gauges read when Prometheus scrapes: nothing is counted on the hot path. */
export interface StateSources {
  /** The worker of this process, or null when none runs. */
  worker(): { running: number; prefetched: number } | null;
  /** The broker connection, or null when the transport does not say. */
  connected(): boolean | null;
  /** The last depth sample of each sampled queue. */
  depths(): readonly QueueDepth[];
}

/** Gauges read at scrape time. Returns what stops this app filling them. */
export function registerStateGauges(
  prom: typeof PromClient,
  registry: MetricsRegistry,
  sources: StateSources,
): () => void {
  const registers = [registry as PromClient.Registry];
  const gauges: Array<{
    name: string;
    help: string;
    labelNames?: string[];
    collect: (gauge: PromClient.Gauge<string>) => void;
  }> = [
    {
      name: 'celeriac_worker_tasks_running',
      help: 'Task functions running in this worker',
      collect: (gauge) => {
        const worker = sources.worker();
        if (worker) gauge.set(worker.running);
      },
    },
    {
      name: 'celeriac_worker_tasks_prefetched',
      help: 'Deliveries this worker took from the broker and has not started',
      collect: (gauge) => {
        const worker = sources.worker();
        if (worker) gauge.set(worker.prefetched);
      },
    },
    {
      name: 'celeriac_broker_connected',
      help: '1 while the connection to the broker is up, else 0',
      collect: (gauge) => {
        const connected = sources.connected();
        if (connected !== null) gauge.set(connected ? 1 : 0);
      },
    },
    {
      name: 'celeriac_queue_depth',
      help: 'Messages ready in a queue (sampled at an interval), by priority where the broker keeps them apart',
      labelNames: ['queue', 'priority'],
      collect: (gauge) => {
        for (const depth of sources.depths()) {
          if (!depth.byPriority) {
            gauge.set({ queue: depth.queue, priority: '' }, depth.ready);
            continue;
          }
          for (const [priority, count] of Object.entries(depth.byPriority))
            gauge.set({ queue: depth.queue, priority }, count);
        }
      },
    },
    {
      name: 'celeriac_queue_delayed',
      help: 'Messages in the delay store of a queue, due later (sampled; Redis and memory)',
      labelNames: ['queue'],
      collect: (gauge) => {
        for (const depth of sources.depths())
          if (depth.delayed !== undefined)
            gauge.set({ queue: depth.queue }, depth.delayed);
      },
    },
  ];
  const removers = gauges.map(({ name, help, labelNames, collect }) =>
    addCollector(
      registerOnce(
        registry,
        name,
        () =>
          new prom.Gauge({
            name,
            help,
            labelNames: labelNames ?? [],
            registers,
            // Each scrape starts from nothing: a worker gone, a queue no longer sampled.
            collect: sharedCollect(true),
          }),
      ),
      collect,
    ),
  );
  return () => removers.forEach((remove) => remove());
}
