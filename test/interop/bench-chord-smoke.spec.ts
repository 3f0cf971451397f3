import { chordSection } from '../../bench/chord/section';

/**
 * The chord bench section end to end with a small chord, Celeriac against a real
 * Celery worker (Debian's python3-celery): a figure for each, not timings.
 */
describe('bench: the chord section (smoke run)', () => {
  it('times a chord on a Celeriac worker and on a Celery worker', async () => {
    const lines: string[] = [];
    const measurements = await chordSection(
      { size: 10, rounds: 2, concurrency: 2 },
      (line) => lines.push(line),
    ).run();
    expect(
      measurements.map(({ scenario, system, unit }) => ({
        scenario,
        system,
        unit,
      })),
    ).toEqual([
      {
        scenario: 'chord of 10 header tasks, c=2',
        system: 'celeriac',
        unit: 'ms',
      },
      {
        scenario: 'chord of 10 header tasks, c=2',
        system: 'celery',
        unit: 'ms',
      },
    ]);
    for (const { value } of measurements) {
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeGreaterThan(0);
    }
    expect(lines).toEqual([
      expect.stringMatching(/^ {2}celeriac +chord of 10 header tasks, c=2: /),
      expect.stringMatching(/^ {2}celery +chord of 10 header tasks, c=2: /),
    ]);
  }, 120_000);
});
