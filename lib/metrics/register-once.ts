import { MetricsRegistry } from '../options/observability-options';

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
