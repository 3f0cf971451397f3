import { MetricsRegistry } from '../options/observability-options';

type Collector = (metric: any) => void;

/** What fills each metric at scrape time: one per Celeriac app that shares it. */
const collectors = new WeakMap<object, Set<Collector>>();

/**
 * The metric `name` of `registry`, made by `create` unless the registry has it already:
 * several Celeriac apps in one process (tests, or two modules on the app's registry)
 * share one series rather than fail on a second registration.
 */
export function registerOnce<M>(
  registry: MetricsRegistry,
  name: string,
  create: () => M,
): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}

/**
 * prom-client's `collect` option for a metric whose values are filled at scrape time
 * by each app sharing it (see addCollector). `reset`: gauges start from nothing.
 */
export function sharedCollect(reset: boolean) {
  return function collect(this: { reset?: () => void }): void {
    if (reset) this.reset?.();
    for (const fill of collectors.get(this) ?? []) fill(this);
  };
}

/** Adds what fills `metric` at scrape time; returns its remover. */
export function addCollector<M extends object>(
  metric: M,
  fill: (metric: M) => void,
): () => void {
  let set = collectors.get(metric);
  if (!set) collectors.set(metric, (set = new Set()));
  set.add(fill as Collector);
  return () => set.delete(fill as Collector);
}
