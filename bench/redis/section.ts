import { BenchSection, Measurement } from '../report';
import { celeryEnqueue, celeryProcessing } from './celery-scenarios';
import { celeryWanted } from './celery-side';
import { REDIS_URL } from '../../test/support/redis-keys';
import { SYSTEMS } from './producers';
import { Figure, enqueue, latency, processing } from './scenarios';
import { RedisBenchSizes, ScenarioGroup, sizesFromEnv } from './sizes';

/**
 * Celeriac against BullMQ on the same Redis, one system after the other per scenario,
 * each in its own keys: enqueue rates, processing of pre-filled no-op tasks (worker in
 * its own process, acks late, results stored; BullMQ removeOnComplete), end-to-end
 * latency at a paced rate, and the worker's CPU and RSS. With BENCH_REDIS_CELERY=1,
 * Python Celery 5.2 too (enqueue one at a time and processing; `-P threads`, solo for 1).
 * The `ioredis floor` column is ioredis alone sending a plain LPUSH per task (floor.ts),
 * interleaved chunk by chunk with Celeriac's one-at-a-time sends.
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
      const celery = celeryWanted();
      const record = (system: string, figures: Figure[]) => {
        for (const figure of figures) {
          measurements.push({ section: 'redis', system, ...figure });
          log(
            `  ${system.padEnd(8)} ${figure.scenario}: ${figure.value.toFixed(1)} ${figure.unit}`,
          );
        }
      };
      const step = async (
        body: (system: (typeof SYSTEMS)[number]) => Promise<Figure[]>,
        celeryBody?: () => Promise<Figure[]>,
      ) => {
        for (const system of SYSTEMS) record(system, await body(system));
        if (celery && celeryBody) record('celery', await celeryBody());
      };
      const runs = (group: ScenarioGroup) =>
        !sizes.only || sizes.only.includes(group);
      if (runs('enqueue')) {
        // The floor runs interleaved with Celeriac's own one-at-a-time sends.
        let floor: Figure[] = [];
        await step(
          (system) =>
            enqueue(
              system,
              sizes,
              redisUrl,
              system === 'celeriac'
                ? (figures) => (floor = figures)
                : undefined,
            ),
          () => celeryEnqueue(sizes, redisUrl),
        );
        record('ioredis floor', floor);
      }
      for (const concurrency of runs('process') ? sizes.concurrencies : [])
        await step(
          (system) => processing(system, concurrency, sizes, redisUrl),
          () => celeryProcessing(concurrency, sizes, redisUrl),
        );
      if (runs('latency'))
        await step((system) => latency(system, sizes, redisUrl));
      return measurements;
    },
  };
}
