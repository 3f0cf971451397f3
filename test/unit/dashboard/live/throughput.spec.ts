import { Throughput } from '../../../../lib/dashboard/live/throughput';

describe('Throughput', () => {
  it('counts outcomes per second over its window, and outcomes heard earlier where they fell', () => {
    let now = 1_000.4;
    const throughput = new Throughput(10, () => now);
    throughput.count('succeeded');
    throughput.count('succeeded');
    throughput.countAt('failed', 995.9);
    // Outside the window (too old, or in the future): not counted.
    throughput.countAt('failed', 990.0);
    throughput.countAt('retried', 1_002);
    now = 1_001.2;
    throughput.count('retried');
    now = 1_002.0;
    expect(
      throughput.series().filter((p) => p.succeeded + p.failed + p.retried > 0),
    ).toEqual([
      { at: 995, succeeded: 0, failed: 1, retried: 0 },
      { at: 1_000, succeeded: 2, failed: 0, retried: 0 },
      { at: 1_001, succeeded: 0, failed: 0, retried: 1 },
    ]);
    expect(throughput.series()).toHaveLength(10);
  });

  it('reuses a second’s bucket once the window has passed it', () => {
    let now = 100;
    const throughput = new Throughput(5, () => now);
    throughput.count('succeeded');
    now = 105;
    throughput.count('failed');
    expect(throughput.at(100)).toEqual({
      at: 100,
      succeeded: 0,
      failed: 0,
      retried: 0,
    });
    expect(throughput.at(105)).toEqual({
      at: 105,
      succeeded: 0,
      failed: 1,
      retried: 0,
    });
  });
});
