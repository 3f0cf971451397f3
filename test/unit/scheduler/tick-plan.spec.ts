import { createSchedule } from '../../../lib';
import { PlanPolicy, planTicks } from '../../../lib/scheduler/tick-plan';

const minute = createSchedule({ every: '1m' });
const M = 60_000;
const policy = (
  catchUp: PlanPolicy['catchUp'],
  maxCatchUp = 100,
): PlanPolicy => ({
  catchUp,
  maxCatchUp,
  missedAfterMs: 10_000,
});

describe('planning ticks', () => {
  it('runs nothing before the next tick, and a tick on time', () => {
    expect(planTicks(minute, 10 * M, 10 * M + 59_999, policy('one'))).toEqual({
      run: [],
      skipTo: null,
      missed: false,
      dropped: false,
    });
    expect(planTicks(minute, 10 * M, 11 * M + 300, policy('one'))).toEqual({
      run: [11 * M],
      skipTo: null,
      missed: false,
      dropped: false,
    });
  });

  it('runs every tick still on time (a beat a few seconds late runs them all)', () => {
    const everySecond = createSchedule({ every: '1s' });
    expect(planTicks(everySecond, 10_000, 13_500, policy('none')).run).toEqual([
      11_000, 12_000, 13_000,
    ]);
  });

  it("'one': a single run stands for every missed tick", () => {
    expect(planTicks(minute, 10 * M, 15 * M + 30_000, policy('one'))).toEqual({
      run: [15 * M],
      skipTo: null,
      missed: true,
      dropped: true,
    });
    // With a tick on time, that tick is the one run.
    expect(planTicks(minute, 10 * M, 15 * M + 1_000, policy('one'))).toEqual({
      run: [15 * M],
      skipTo: null,
      missed: true,
      dropped: true,
    });
  });

  it("'none': missed ticks are skipped, a tick on time still runs", () => {
    expect(planTicks(minute, 10 * M, 15 * M + 30_000, policy('none'))).toEqual({
      run: [],
      skipTo: 15 * M,
      missed: true,
      dropped: true,
    });
    expect(planTicks(minute, 10 * M, 15 * M + 1_000, policy('none'))).toEqual({
      run: [15 * M],
      skipTo: null,
      missed: true,
      dropped: true,
    });
  });

  it("'all': each missed tick runs, oldest first, at most maxCatchUp (the newest)", () => {
    const all = planTicks(minute, 10 * M, 13 * M + 30_000, policy('all'));
    expect(all.run).toEqual([11 * M, 12 * M, 13 * M]);
    expect(all.dropped).toBe(false);
    const bounded = planTicks(minute, 0, 1000 * M, policy('all', 5));
    expect(bounded.run).toEqual([996 * M, 997 * M, 998 * M, 999 * M, 1000 * M]);
    expect(bounded.missed).toBe(true);
    expect(bounded.dropped).toBe(true);
  });

  it('stays cheap after a long downtime: a year of a one-second schedule', () => {
    const everySecond = createSchedule({ every: '1s' });
    const year = 365 * 24 * 3600 * 1000;
    const plan = planTicks(everySecond, 0, year + 500, policy('one'));
    // The ticks of the last 10 s are on time; the year before them is one missed gap.
    expect(plan.run).toEqual(
      Array.from({ length: 10 }, (_, i) => year - 9000 + i * 1000),
    );
    expect(plan.missed).toBe(true);
    expect(
      planTicks(everySecond, 0, year + 500, policy('all')).run,
    ).toHaveLength(100);
  });
});
