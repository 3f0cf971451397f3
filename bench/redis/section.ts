import { BenchSection, Measurement } from '../report';
import { REDIS_URL } from './names';
import { SYSTEMS } from './producers';
import { enqueue, latency, processing } from './scenarios';
import { RedisBenchSizes, ScenarioGroup, sizesFromEnv } from './sizes';

/**
 * Celeriac against BullMQ on the same Redis, one system after the other per scenario,
 * each in its own keys: enqueue rates, processing of pre-filled no-op tasks (worker in
 * its own process, acks late, results stored; BullMQ removeOnComplete), end-to-end
 * latency at a paced rate, and the worker's RSS.
 */
export function redisSection(
  sizes: RedisBenchSizes = sizesFromEnv(),
  redisUrl: string = REDIS_URL,
  log: (line: string) => void = (line) => console.log(line),
): BenchSection {
  return {
    name: 'redis',
    baseline: 'bullmq',
    run: async () => {
      const measurements: Measurement[] = [];
      const step = async (
        label: string,
        body: (
          system: (typeof SYSTEMS)[number],
        ) => Promise<Omit<Measurement, 'section' | 'system'>[]>,
      ) => {
        for (const system of SYSTEMS) {
          const figures = await body(system);
          for (const figure of figures) {
            measurements.push({ section: 'redis', system, ...figure });
            log(
              `  ${system.padEnd(8)} ${figure.scenario}: ${figure.value.toFixed(1)} ${figure.unit}`,
            );
          }
        }
      };
      const runs = (group: ScenarioGroup) =>
        !sizes.only || sizes.only.includes(group);
      if (runs('enqueue'))
        await step('enqueue', (system) => enqueue(system, sizes, redisUrl));
      for (const concurrency of runs('process') ? sizes.concurrencies : [])
        await step(`process c=${concurrency}`, (system) =>
          processing(system, concurrency, sizes, redisUrl),
        );
      if (runs('latency'))
        await step('latency', (system) => latency(system, sizes, redisUrl));
      return measurements;
    },
  };
}
