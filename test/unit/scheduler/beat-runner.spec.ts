import { CatchUpPolicy, createSchedule } from '../../../lib';
import { MemoryTickLock } from '../../../lib/locks/memory/memory-tick-lock';
import { BeatRunner } from '../../../lib/scheduler/beat-runner';
import { ScheduleDefinition } from '../../../lib/scheduler/schedule-definition';
import { TickLock } from '../../../lib/locks/tick-lock';
import { uniqueName } from '../../support/wait';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

/** A clock moved by hand: no waiting. */
class ManualClock {
  constructor(public time: number) {}
  now(): number {
    return this.time;
  }
  set(isoTime: string): void {
    this.time = at(isoTime);
  }
}

function definition(
  name: string,
  spec: Parameters<typeof createSchedule>[0],
  catchUp?: CatchUpPolicy,
): ScheduleDefinition {
  return {
    name,
    task: `tasks.${name}`,
    schedule: createSchedule(spec),
    args: [],
    source: 'runtime',
    origin: 'test',
    catchUp,
  };
}

/** A fleet of beats sharing one memory store and one clock, and every run they sent. */
class Fleet {
  readonly store = uniqueName('fleet');
  readonly sent: Array<{ schedule: string; tick: string; by: string }> = [];
  /** What each beat said of each due tick (onTick). */
  readonly outcomes: string[] = [];
  failPublish = false;

  constructor(
    readonly clock: ManualClock,
    readonly definitions: ScheduleDefinition[],
  ) {}

  lock(): TickLock {
    return MemoryTickLock.named(this.store, () => this.clock.now());
  }

  beat(
    owner: string,
    catchUp: CatchUpPolicy = 'one',
    lock = this.lock(),
  ): BeatRunner {
    return new BeatRunner({
      lock,
      owner,
      clock: this.clock,
      definitions: () => this.definitions,
      options: {
        catchUp,
        maxCatchUp: 100,
        missedAfterMs: 10_000,
        lockTtlMs: 60_000,
        maxSleepMs: 3_600_000,
      },
      publish: async (def, tick) => {
        if (this.failPublish) throw new Error('broker down');
        this.sent.push({ schedule: def.name, tick: iso(tick), by: owner });
      },
      logger: { warn: () => undefined, error: () => undefined } as never,
      onTick: (schedule, outcome) =>
        this.outcomes.push(`${owner} ${schedule} ${outcome}`),
    });
  }

  ticks(schedule?: string): string[] {
    return this.sent
      .filter((s) => schedule === undefined || s.schedule === schedule)
      .map((s) => s.tick);
  }
}

describe('a beat', () => {
  it('starts a new schedule at its next tick, runs it once, and says when to look again', async () => {
    const clock = new ManualClock(at('2026-05-01T10:00:30Z'));
    const fleet = new Fleet(clock, [definition('minutely', { every: '1m' })]);
    const beat = fleet.beat('a');
    expect(await beat.pass()).toBe(at('2026-05-01T10:01:00Z'));
    expect(fleet.sent).toEqual([]);
    clock.set('2026-05-01T10:01:00.004Z');
    expect(await beat.pass()).toBe(at('2026-05-01T10:02:00Z'));
    expect(await beat.pass()).toBe(at('2026-05-01T10:02:00Z'));
    expect(fleet.ticks()).toEqual(['2026-05-01T10:01:00.000Z']);
  });

  it('shares each tick with the other beats of the fleet: each runs once, whoever wins', async () => {
    const clock = new ManualClock(at('2026-05-01T10:00:00.500Z'));
    const fleet = new Fleet(clock, [
      definition('s1', { every: '1s' }),
      definition('s5', { every: '5s' }),
    ]);
    const beats = [fleet.beat('a'), fleet.beat('b'), fleet.beat('c')];
    for (let step = 0; step < 100; step++) {
      clock.time += 100;
      await Promise.all(beats.map((beat) => beat.pass()));
    }
    expect(fleet.ticks('s1')).toHaveLength(10);
    expect(new Set(fleet.ticks('s1')).size).toBe(10);
    expect(fleet.ticks('s5')).toEqual([
      '2026-05-01T10:00:05.000Z',
      '2026-05-01T10:00:10.000Z',
    ]);
  });

  it('tells what became of each due tick: sent by the winner, taken for the others, skipped for a dropped gap', async () => {
    const clock = new ManualClock(at('2026-05-01T10:00:30Z'));
    const fleet = new Fleet(clock, [definition('minutely', { every: '1m' })]);
    const [a, b] = [fleet.beat('a', 'none'), fleet.beat('b', 'none')];
    await a.pass();
    await b.pass();
    clock.set('2026-05-01T10:01:00.004Z');
    await Promise.all([a.pass(), b.pass()]); // both see the tick due; one claims it
    expect(fleet.outcomes.sort()).toEqual([
      'a minutely sent',
      'b minutely taken',
    ]);
    // Down for five minutes: catch-up 'none' drops the missed ticks, once per gap.
    fleet.outcomes.length = 0;
    clock.set('2026-05-01T10:06:30Z');
    await a.pass();
    expect(fleet.outcomes).toEqual(['a minutely skipped']);
    expect(fleet.ticks()).toEqual(['2026-05-01T10:01:00.000Z']);
  });

  it('after a restart, repeats no tick and forgets no schedule', async () => {
    const clock = new ManualClock(at('2026-05-01T10:00:30Z'));
    const fleet = new Fleet(clock, [definition('minutely', { every: '1m' })]);
    await fleet.beat('a').pass();
    clock.set('2026-05-01T10:01:00Z');
    await fleet.beat('a').pass();
    clock.set('2026-05-01T10:01:02Z'); // restarted two seconds later, a new process
    await fleet.beat('a-restarted', 'one', fleet.lock()).pass();
    expect(fleet.ticks()).toEqual(['2026-05-01T10:01:00.000Z']);
    clock.set('2026-05-01T10:02:00Z');
    await fleet.beat('a-restarted').pass();
    expect(fleet.ticks()).toEqual([
      '2026-05-01T10:01:00.000Z',
      '2026-05-01T10:02:00.000Z',
    ]);
  });

  it.each<[CatchUpPolicy, string[]]>([
    ['one', ['2026-05-01T10:05:00.000Z']],
    ['none', []],
    [
      'all',
      [
        '2026-05-01T10:02:00.000Z',
        '2026-05-01T10:03:00.000Z',
        '2026-05-01T10:04:00.000Z',
        '2026-05-01T10:05:00.000Z',
      ],
    ],
  ])(
    "catches up ticks missed while every beat was down: '%s'",
    async (catchUp, expected) => {
      const clock = new ManualClock(at('2026-05-01T10:00:30Z'));
      const fleet = new Fleet(clock, [definition('minutely', { every: '1m' })]);
      await fleet.beat('a', catchUp).pass();
      clock.set('2026-05-01T10:01:00Z');
      await fleet.beat('a', catchUp).pass();
      clock.set('2026-05-01T10:05:30Z'); // every beat was down from 10:01:30 to 10:05:30
      await fleet.beat('b', catchUp).pass();
      expect(fleet.ticks().slice(1)).toEqual(expected);
      clock.set('2026-05-01T10:06:00Z');
      await fleet.beat('b', catchUp).pass();
      expect(fleet.ticks().slice(-1)).toEqual(['2026-05-01T10:06:00.000Z']);
    },
  );

  it("lets a schedule's own catch-up policy override the beat's", async () => {
    const clock = new ManualClock(at('2026-05-01T10:00:30Z'));
    const fleet = new Fleet(clock, [
      definition('strict', { every: '1m' }, 'none'),
    ]);
    await fleet.beat('a', 'all').pass();
    clock.set('2026-05-01T10:05:30Z');
    await fleet.beat('a', 'all').pass();
    expect(fleet.sent).toEqual([]);
    // Only the missed ticks were dropped: the next one runs.
    clock.set('2026-05-01T10:06:00Z');
    await fleet.beat('a', 'all').pass();
    expect(fleet.ticks()).toEqual(['2026-05-01T10:06:00.000Z']);
  });

  it('leaves the tick of a beat that died after claiming it to another, once the claim expired', async () => {
    const clock = new ManualClock(at('2026-05-01T10:00:30Z'));
    const fleet = new Fleet(clock, [
      definition('hourly', { cron: '0 * * * *' }),
    ]);
    const lock = fleet.lock();
    await fleet.beat('survivor', 'one', lock).pass();
    clock.set('2026-05-01T11:00:00Z');
    expect(
      await lock.claim('hourly', at('2026-05-01T11:00:00Z'), 'dead', 60_000),
    ).toBe(true); // then SIGKILL
    const survivor = fleet.beat('survivor');
    expect(await survivor.pass()).toBe(at('2026-05-01T11:00:01Z')); // unsettled: look again soon
    expect(fleet.sent).toEqual([]);
    clock.set('2026-05-01T11:01:00.001Z');
    await survivor.pass();
    expect(fleet.sent).toEqual([
      { schedule: 'hourly', tick: '2026-05-01T11:00:00.000Z', by: 'survivor' },
    ]);
  });

  it('gives a tick back when the broker refuses it, and sends it once the broker is back', async () => {
    const clock = new ManualClock(at('2026-05-01T10:00:30Z'));
    const fleet = new Fleet(clock, [definition('minutely', { every: '1m' })]);
    const beat = fleet.beat('a');
    await beat.pass();
    clock.set('2026-05-01T10:01:00Z');
    fleet.failPublish = true;
    expect(await beat.pass()).toBe(at('2026-05-01T10:01:01Z'));
    fleet.failPublish = false;
    clock.set('2026-05-01T10:01:01Z');
    await fleet.beat('b').pass(); // any beat may retry it: the claim was given back
    expect(fleet.sent).toEqual([
      { schedule: 'minutely', tick: '2026-05-01T10:01:00.000Z', by: 'b' },
    ]);
  });

  it('runs nothing while paused, and does not catch up the pause once resumed', async () => {
    const clock = new ManualClock(at('2026-05-01T10:00:30Z'));
    const fleet = new Fleet(clock, [definition('minutely', { every: '1m' })]);
    const lock = fleet.lock();
    const beat = fleet.beat('a', 'all', lock);
    await beat.pass();
    await lock.setPaused('minutely', true, at('2026-05-01T10:00:00Z'));
    for (const time of ['10:01:00', '10:02:00', '10:03:00']) {
      clock.set(`2026-05-01T${time}Z`);
      await beat.pass();
    }
    expect(fleet.sent).toEqual([]);
    await lock.setPaused('minutely', false, at('2026-05-01T10:03:00Z'));
    clock.set('2026-05-01T10:03:20Z');
    await beat.pass();
    clock.set('2026-05-01T10:04:00Z');
    await beat.pass();
    expect(fleet.ticks()).toEqual(['2026-05-01T10:04:00.000Z']);
  });

  describe('on daylight saving days in Europe/Paris', () => {
    /** Runs a beat every 10 minutes of a day: what did it send? */
    async function day(
      cron: string,
      fromIso: string,
      toIso: string,
    ): Promise<string[]> {
      const clock = new ManualClock(at(fromIso));
      const fleet = new Fleet(clock, [
        definition('paris', { cron, timezone: 'Europe/Paris' }),
      ]);
      const beats = [fleet.beat('a'), fleet.beat('b')];
      for (; clock.time <= at(toIso); clock.time += 10 * 60_000) {
        await Promise.all(beats.map((beat) => beat.pass()));
      }
      return fleet.ticks();
    }

    it('spring forward (2026-03-29): hourly runs 23 times; 02:30 daily runs once', async () => {
      const hourly = await day(
        '0 * * * *',
        '2026-03-28T22:55:00Z',
        '2026-03-29T21:55:00Z',
      );
      expect(hourly).toHaveLength(23);
      expect(new Set(hourly).size).toBe(23);
      expect(
        await day('30 2 * * *', '2026-03-28T22:55:00Z', '2026-03-29T21:55:00Z'),
      ).toEqual(['2026-03-29T01:30:00.000Z']);
    });

    it('fall back (2026-10-25): hourly runs 25 times; 02:30 daily runs once', async () => {
      const hourly = await day(
        '0 * * * *',
        '2026-10-24T21:55:00Z',
        '2026-10-25T22:55:00Z',
      );
      expect(hourly).toHaveLength(25);
      expect(new Set(hourly).size).toBe(25);
      expect(
        await day('30 2 * * *', '2026-10-24T21:55:00Z', '2026-10-25T22:55:00Z'),
      ).toEqual(['2026-10-25T00:30:00.000Z']);
    });
  });
});
