import {
  eventsSection,
  observabilitySection,
} from '../../../bench/redis/observability';
import { Measurement } from '../../../bench/report';
import { drain } from '../../../bench/redis/scenarios';
import { sizesFromEnv } from '../../../bench/redis/sizes';
import { REDIS_URL, keysUnder } from '../../support/redis-keys';

/**
 * The events and observability bench sections end to end on a few hundred tasks, one
 * round: every variant drains and reports its figures. Figures, not timings.
 */
describe('bench: the events and observability sections (smoke run)', () => {
  const saved = {
    scale: process.env.BENCH_REDIS_SCALE,
    rounds: process.env.BENCH_OBS_ROUNDS,
  };
  beforeAll(() => {
    process.env.BENCH_REDIS_SCALE = '0.02'; // 2,000 tasks a drain in these sections
    process.env.BENCH_OBS_ROUNDS = '1';
  });
  afterAll(() => {
    restore('BENCH_REDIS_SCALE', saved.scale);
    restore('BENCH_OBS_ROUNDS', saved.rounds);
  });

  const expectEveryVariant = (
    measurements: Measurement[],
    systems: string[],
  ) => {
    const rates = measurements.filter((m) =>
      m.scenario.startsWith('process, concurrency 100'),
    );
    expect(rates.map((m) => m.system).sort()).toEqual([...systems].sort());
    for (const figure of ['worker CPU per task', 'Redis CPU per task'])
      expect(
        measurements
          .filter((m) => m.scenario.startsWith(`${figure} (c=100)`))
          .map((m) => m.system)
          .sort(),
      ).toEqual([...systems].sort());
    for (const m of measurements)
      expect({
        ...m,
        positive: Number.isFinite(m.value) && m.value > 0,
      }).toEqual({ ...m, positive: true });
  };

  it('drains with task events off and on, and prints their ratio', async () => {
    const lines: string[] = [];
    const measurements = await eventsSection((line) => lines.push(line)).run();
    expectEveryVariant(measurements, ['celeriac', 'celeriac+events']);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /celeriac\+events \/ celeriac: throughput x\d\.\d+ \(round by round: x\d\.\d+; median x\d\.\d+; fastest rounds x\d\.\d+\)/,
        ),
      ]),
    );
    expect(await keysUnder(`celeriac-bench-${process.pid}-`)).toEqual([]);
  }, 120_000);

  it('drains with nothing, metrics and tracing on', async () => {
    const measurements = await observabilitySection(() => undefined).run();
    expectEveryVariant(measurements, [
      'celeriac',
      'celeriac+metrics',
      'celeriac+tracing (no SDK)',
    ]);
    expect(await keysUnder(`celeriac-bench-${process.pid}-`)).toEqual([]);
  }, 120_000);
});

describe('bench: a drain timed after its warm-up', () => {
  it('counts and times only the tasks after the first `warmup`, and reads Redis CPU over them', async () => {
    const sizes = { ...sizesFromEnv(), processing: 2_000 };
    const report = await drain(
      'celeriac',
      'celeriac',
      100,
      sizes,
      REDIS_URL,
      400,
    );
    // The clock starts at the 400th task or a little after it, never before.
    expect(report.tasks).toBeGreaterThan(0);
    expect(report.tasks).toBeLessThanOrEqual(2_000);
    expect(report.ms).toBeGreaterThan(0);
    expect(report.redisCpuUsPerTask).toBeGreaterThan(0);
    expect(await keysUnder(`celeriac-bench-${process.pid}-`)).toEqual([]);
  }, 120_000);
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
