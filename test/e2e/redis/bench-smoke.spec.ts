import { redisSection } from '../../../bench/redis/section';
import { RedisBenchSizes } from '../../../bench/redis/sizes';
import { REDIS_URL } from './redis-test-support';

/** The Redis bench section end to end with tiny sizes: figures, not timings. */
describe('bench: the redis section (smoke run)', () => {
  it('produces a figure for every scenario and system', async () => {
    const sizes: RedisBenchSizes = {
      enqueueOne: 20,
      enqueueBatched: 40,
      batch: 20,
      processing: 40,
      concurrencies: [1, 10, 100],
      latencyRate: 100,
      latencySeconds: 0.3,
    };
    const measurements = await redisSection(
      sizes,
      REDIS_URL,
      () => undefined,
    ).run();
    const scenarios = [
      'enqueue, one at a time',
      'producer CPU per send, one at a time',
      'enqueue, 20 at once',
      'process, concurrency 1',
      'process, concurrency 10',
      'process, concurrency 100',
      'worker CPU per task (c=100)',
      'worker main thread CPU per task (c=100)',
      'Redis CPU per task (c=100)',
      'worker RSS peak (c=100)',
      'worker RSS steady (c=100)',
      // BullMQ drains again hosted in a Nest app (@nestjs/bullmq), as Celeriac always is.
      'process, concurrency 100, in a Nest app',
      'worker RSS peak (c=100, in a Nest app)',
      'worker RSS steady (c=100, in a Nest app)',
      'latency p50 at 100/s',
      'latency p99 at 100/s',
    ];
    for (const scenario of scenarios) {
      for (const system of ['celeriac', 'bullmq']) {
        const figure = measurements.find(
          (m) => m.scenario === scenario && m.system === system,
        );
        expect({
          scenario,
          system,
          finite: Number.isFinite(figure?.value),
        }).toEqual({
          scenario,
          system,
          finite: true,
        });
        expect(figure!.value).toBeGreaterThan(0);
      }
    }
    const floor = measurements.filter((m) => m.system === 'ioredis floor');
    expect(floor.map((m) => m.scenario)).toEqual(['enqueue, one at a time']);
    expect(floor[0].value).toBeGreaterThan(0);
    expect(measurements).toHaveLength(scenarios.length * 2 + 1);
  }, 120_000);
});
