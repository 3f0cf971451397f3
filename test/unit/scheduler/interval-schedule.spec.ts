import {
  IntervalSchedule,
  InvalidScheduleError,
  createSchedule,
} from '../../../lib';

const at = (iso: string) => Date.parse(iso);

describe('interval schedules', () => {
  it('tick on multiples of the interval since the epoch, whoever computes them', () => {
    const every15m = createSchedule({ every: '15m' });
    expect(every15m.next(at('2026-05-01T10:07:31Z'))).toBe(
      at('2026-05-01T10:15:00Z'),
    );
    expect(every15m.next(at('2026-05-01T10:15:00Z'))).toBe(
      at('2026-05-01T10:30:00Z'),
    );
    expect(every15m.previous(at('2026-05-01T10:15:00Z'))).toBe(
      at('2026-05-01T10:15:00Z'),
    );
    expect(every15m.previous(at('2026-05-01T10:14:59.999Z'))).toBe(
      at('2026-05-01T10:00:00Z'),
    );
    expect(every15m.description).toBe('every 15m');
  });

  it('take a number as milliseconds', () => {
    const schedule = createSchedule({ every: 1500 }) as IntervalSchedule;
    expect(schedule.everyMs).toBe(1500);
    expect(schedule.next(0)).toBe(1500);
    expect(schedule.next(1499)).toBe(1500);
    expect(schedule.previous(2999)).toBe(1500);
  });

  it('refuse what is not a positive whole number of milliseconds, naming the value', () => {
    expect(() => createSchedule({ every: 'soon' as never })).toThrow(
      InvalidScheduleError,
    );
    expect(() => createSchedule({ every: 'soon' as never })).toThrow(
      /"soon" is not a duration/,
    );
    expect(() => createSchedule({ every: 0 })).toThrow(
      /interval "0ms" must be a whole number of milliseconds/,
    );
    expect(() => createSchedule({ every: -5 })).toThrow(/interval "-5ms"/);
    expect(() => createSchedule({ every: 2.5 })).toThrow(/interval "2.5ms"/);
    expect(() => createSchedule({ every: Infinity })).toThrow(
      InvalidScheduleError,
    );
  });

  it('refuse a spec with both or neither of every and cron, or a time zone on an interval', () => {
    expect(() =>
      createSchedule({ every: '1m', cron: '* * * * *' } as never),
    ).toThrow(/either `every` or `cron`/);
    expect(() => createSchedule({} as never)).toThrow(
      /needs `every`.*or `cron`/,
    );
    expect(() =>
      createSchedule({ every: '1m', timezone: 'Europe/Paris' } as never),
    ).toThrow(/`timezone` is for cron/);
  });
});
