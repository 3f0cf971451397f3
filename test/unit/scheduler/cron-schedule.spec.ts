import {
  CronSchedule,
  InvalidScheduleError,
  Schedule,
  createSchedule,
} from '../../../lib';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

/** Every tick in [from, to), by next(). */
function ticksBetween(schedule: Schedule, from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = schedule.next(at(from) - 1); t < at(to); t = schedule.next(t))
    out.push(iso(t));
  return out;
}

describe('cron schedules', () => {
  it('read 5 fields (minute first), 6 (seconds first) and aliases', () => {
    expect(
      createSchedule({ cron: '0 * * * *' }).next(at('2026-05-01T10:07:00Z')),
    ).toBe(at('2026-05-01T11:00:00Z'));
    expect(
      createSchedule({ cron: '*/10 * * * * *' }).next(
        at('2026-05-01T10:07:03Z'),
      ),
    ).toBe(at('2026-05-01T10:07:10Z'));
    expect(
      createSchedule({ cron: '@daily' }).next(at('2026-05-01T10:07:00Z')),
    ).toBe(at('2026-05-02T00:00:00Z'));
  });

  it('give the next tick strictly after, and the previous at or before', () => {
    const hourly = createSchedule({ cron: '0 * * * *' });
    expect(hourly.next(at('2026-05-01T10:00:00Z'))).toBe(
      at('2026-05-01T11:00:00Z'),
    );
    expect(hourly.previous(at('2026-05-01T10:00:00Z'))).toBe(
      at('2026-05-01T10:00:00Z'),
    );
    expect(hourly.previous(at('2026-05-01T09:59:59.999Z'))).toBe(
      at('2026-05-01T09:00:00Z'),
    );
  });

  it('run in the given time zone', () => {
    const nineInParis = createSchedule({
      cron: '0 9 * * *',
      timezone: 'Europe/Paris',
    });
    expect(iso(nineInParis.next(at('2026-01-15T00:00:00Z')))).toBe(
      '2026-01-15T08:00:00.000Z',
    ); // CET
    expect(iso(nineInParis.next(at('2026-07-15T00:00:00Z')))).toBe(
      '2026-07-15T07:00:00.000Z',
    ); // CEST
    expect(nineInParis.description).toBe('cron "0 9 * * *" in Europe/Paris');
    const nineInNewYork = new CronSchedule('0 9 * * *', 'America/New_York');
    expect(iso(nineInNewYork.next(at('2026-01-15T00:00:00Z')))).toBe(
      '2026-01-15T14:00:00.000Z',
    );
  });

  it('refuse a bad expression, field count or time zone, naming the value', () => {
    expect(() => createSchedule({ cron: '61 * * * *' })).toThrow(
      /cron expression "61 \* \* \* \*" is not valid: .*61/,
    );
    expect(() => createSchedule({ cron: '* * *' })).toThrow(
      /"\* \* \*" has 3 field\(s\); use 5/,
    );
    expect(() => createSchedule({ cron: '' })).toThrow(/has 0 field\(s\)/);
    expect(() => createSchedule({ cron: '0 0 * * * * *' })).toThrow(
      /has 7 field\(s\)/,
    );
    expect(() => createSchedule({ cron: 'every hour please now' })).toThrow(
      InvalidScheduleError,
    );
    expect(() => createSchedule({ cron: '0 0 30 2 *' })).toThrow(
      /"0 0 30 2 \*" is not valid/,
    ); // 30 February
    expect(() =>
      createSchedule({ cron: '0 * * * *', timezone: 'Europe/Pariss' }),
    ).toThrow(/time zone "Europe\/Pariss" is not an IANA time zone/);
  });
});

describe('cron schedules on daylight saving days (Europe/Paris)', () => {
  // 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00Z). 2026-10-25: 03:00 CEST falls back to 02:00 CET (01:00Z).
  const paris = (cron: string) =>
    createSchedule({ cron, timezone: 'Europe/Paris' });

  it('spring forward: an hourly job runs 23 times, every real hour', () => {
    const ticks = ticksBetween(
      paris('0 * * * *'),
      '2026-03-28T23:00:00Z',
      '2026-03-29T22:00:00Z',
    );
    expect(ticks).toHaveLength(23);
    expect(ticks.slice(0, 4)).toEqual([
      '2026-03-28T23:00:00.000Z', // 00:00 CET
      '2026-03-29T00:00:00.000Z', // 01:00 CET
      '2026-03-29T01:00:00.000Z', // 03:00 CEST: 02:00 does not exist
      '2026-03-29T02:00:00.000Z', // 04:00 CEST
    ]);
  });

  it('spring forward: a daily job at a time that does not exist (02:30) still runs once', () => {
    const ticks = ticksBetween(
      paris('30 2 * * *'),
      '2026-03-28T00:00:00Z',
      '2026-03-31T00:00:00Z',
    );
    expect(ticks).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:30:00.000Z', // 03:30 CEST, once
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
    ]);
  });

  it('fall back: an hourly job runs 25 times, every real hour, 02:00 twice', () => {
    const ticks = ticksBetween(
      paris('0 * * * *'),
      '2026-10-24T22:00:00Z',
      '2026-10-25T23:00:00Z',
    );
    expect(ticks).toHaveLength(25);
    expect(ticks.slice(1, 5)).toEqual([
      '2026-10-24T23:00:00.000Z', // 01:00 CEST
      '2026-10-25T00:00:00.000Z', // 02:00 CEST
      '2026-10-25T01:00:00.000Z', // 02:00 CET
      '2026-10-25T02:00:00.000Z', // 03:00 CET
    ]);
  });

  it('fall back: a daily job at a time that exists twice (02:30) runs once', () => {
    const ticks = ticksBetween(
      paris('30 2 * * *'),
      '2026-10-24T00:00:00Z',
      '2026-10-27T00:00:00Z',
    );
    expect(ticks).toEqual([
      '2026-10-24T00:30:00.000Z', // 02:30 CEST
      '2026-10-25T00:30:00.000Z', // 02:30 CEST, the first of the two
      '2026-10-26T01:30:00.000Z', // 02:30 CET
    ]);
  });

  it('walk back over the same ticks with previous()', () => {
    const schedule = paris('0 * * * *');
    const forward = ticksBetween(
      schedule,
      '2026-10-24T22:00:00Z',
      '2026-10-25T23:00:00Z',
    );
    const backward: string[] = [];
    for (
      let t = schedule.previous(at('2026-10-25T22:59:59Z'));
      t !== undefined && t >= at('2026-10-24T22:00:00Z');
    ) {
      backward.push(iso(t));
      t = schedule.previous(t - 1);
    }
    expect(backward.reverse()).toEqual(forward);
  });
});
