import { CatchUpPolicy, createSchedule } from '../../../lib';
import { RedisTickLock } from '../../../lib/locks/redis/redis-tick-lock';
import { BeatRunner } from '../../../lib/scheduler/beat-runner';
import { ScheduleDefinition } from '../../../lib/scheduler/schedule-definition';
import { REDIS_URL, deleteKeys } from '../../support/redis-keys';
import { uniqueName } from '../../support/wait';

const at = (iso: string) => Date.parse(iso);

/**
 * Restarts and downtime over the real Redis, with a clock moved by hand: each "process"
 * is a new runner on a new connection; what it knows comes from Redis only.
 */
describe('a beat restarted on Redis', () => {
  const prefix = `${uniqueName('beat-restart')}:`;
  const locks: RedisTickLock[] = [];
  const clock = { time: 0, now: () => clock.time };
  const sent: string[] = [];
  const hourly: ScheduleDefinition = {
    name: 'reports.hourly',
    task: 'reports.hourly',
    schedule: createSchedule({ cron: '0 * * * *', timezone: 'Europe/Paris' }),
    args: [],
    source: 'decorator',
    origin: 'test',
  };

  /** A new beat process: a new connection, no memory of its own. */
  function restartedBeat(catchUp: CatchUpPolicy = 'one'): BeatRunner {
    const lock = new RedisTickLock(REDIS_URL, { keyPrefix: prefix });
    locks.push(lock);
    return new BeatRunner({
      lock,
      owner: uniqueName('beat'),
      clock,
      definitions: () => [hourly],
      options: {
        catchUp,
        maxCatchUp: 100,
        missedAfterMs: 10_000,
        lockTtlMs: 60_000,
        maxSleepMs: 5_000,
      },
      publish: async (_definition, tick) => {
        sent.push(new Date(tick).toISOString());
      },
      logger: { warn: () => undefined, error: () => undefined } as never,
    });
  }

  afterAll(async () => {
    await Promise.all(locks.map((lock) => lock.close()));
    await deleteKeys(prefix);
  });

  it('neither repeats a tick it fired, nor forgets the ticks missed while down (one catch-up run)', async () => {
    clock.time = at('2026-05-01T09:30:00Z');
    await restartedBeat().pass(); // first sight: starts at the next tick
    clock.time = at('2026-05-01T10:00:00.050Z');
    await restartedBeat().pass();
    expect(sent).toEqual(['2026-05-01T10:00:00.000Z']);

    clock.time = at('2026-05-01T10:00:03Z'); // killed and restarted within the same tick
    await restartedBeat().pass();
    expect(sent).toEqual(['2026-05-01T10:00:00.000Z']);

    clock.time = at('2026-05-01T13:20:00Z'); // every beat down from 10:00 to 13:20
    await Promise.all([
      restartedBeat().pass(),
      restartedBeat().pass(),
      restartedBeat().pass(),
    ]);
    expect(sent).toEqual([
      '2026-05-01T10:00:00.000Z',
      '2026-05-01T13:00:00.000Z',
    ]);

    clock.time = at('2026-05-01T14:00:00Z');
    await restartedBeat().pass();
    expect(sent.at(-1)).toBe('2026-05-01T14:00:00.000Z');

    // The registry's view, from another connection: the last run, as stored.
    const lock = new RedisTickLock(REDIS_URL, { keyPrefix: prefix });
    locks.push(lock);
    expect(await lock.peek('reports.hourly')).toEqual({
      handled: at('2026-05-01T14:00:00Z'),
      lastRun: at('2026-05-01T14:00:00Z'),
      paused: false,
    });
  });
});
