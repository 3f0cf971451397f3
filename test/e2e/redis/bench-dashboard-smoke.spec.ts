import { dashboardSection } from '../../../bench/dashboard/section';
import { deleteKeys, keysUnder } from '../../support/redis-keys';
import { uniquePrefix } from './redis-test-support';

/** The dashboard bench section end to end with a small history: figures, not timings. */
describe('bench: the dashboard section (smoke run)', () => {
  const prefix = uniquePrefix('bench-dashboard');
  afterAll(() => deleteKeys(prefix));

  it('measures the ingest and every query on the memory and the Redis store, and leaves no key', async () => {
    const lines: string[] = [];
    const measurements = await dashboardSection(
      (line) => lines.push(line),
      { tasks: 500, runs: 2 },
      prefix,
    ).run();
    const scenarios = [...new Set(measurements.map((m) => m.scenario))];
    expect(scenarios).toEqual(
      expect.arrayContaining([
        'ingest, per event (batches of 200)',
        'newest 50, median',
        'newest 50, p99',
        'state FAILURE, median',
        'last hour, p99',
      ]),
    );
    for (const scenario of scenarios) {
      const systems = measurements
        .filter((m) => m.scenario === scenario)
        .map((m) => m.system)
        .sort();
      expect({ scenario, systems }).toEqual({
        scenario,
        systems: ['memory', 'redis'],
      });
    }
    for (const m of measurements) {
      expect({
        ...m,
        finite: Number.isFinite(m.value) && m.value >= 0,
      }).toEqual({ ...m, finite: true });
    }
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ {2}memory: 500 tasks stored/),
        expect.stringMatching(/^ {2}redis: 500 tasks stored/),
      ]),
    );
    expect(await keysUnder(prefix)).toEqual([]);
  }, 60_000);
});
