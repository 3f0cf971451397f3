import { Injectable } from '@nestjs/common';
import { Periodic, ScheduleInfo, ScheduleRegistry } from '../../../lib';
import { AMQP_URL } from '../../support/amqp-broker';
import { celeriac, jsonOf } from '../../support/celeriac-cli';
import { closeOpenApps, memoryApp } from '../../support/memory-app';
import { REDIS_URL, deleteKeys } from '../../support/redis-keys';
import { uniqueName, waitUntil } from '../../support/wait';

const hourly = uniqueName('cli-hourly');

@Injectable()
class ReportTasks {
  @Periodic({ every: '1h', name: hourly })
  report(): void {}
}

/**
 * `celeriac schedules`: a process without the beat's code lists the schedules the beat
 * published to its Redis store, and pauses and resumes one for the whole fleet.
 */
describe('celeriac schedules, with the beat store on Redis', () => {
  const keyPrefix = `${uniqueName('cli-beat')}:`;
  const nightly = uniqueName('cli-nightly');
  const cli = (...args: string[]) =>
    celeriac([
      ...args,
      '--broker',
      REDIS_URL,
      '--lock-url',
      REDIS_URL,
      '--lock-prefix',
      keyPrefix,
    ]);
  const list = async () => {
    const run = await cli('schedules', 'list', '--json');
    expect(run.code).toBe(0);
    return jsonOf<ScheduleInfo[]>(run);
  };
  let registry: ScheduleRegistry;

  // memoryApp's apps are closed after every test (jest-setup): one beat per test.
  beforeEach(async () => {
    const { app } = await memoryApp(
      { providers: [ReportTasks] },
      { beat: { lockUrl: REDIS_URL, keyPrefix } },
    );
    registry = app.get(ScheduleRegistry);
    registry.addSchedule({
      name: nightly,
      task: 'reports.nightly',
      cron: '0 3 * * *',
      timezone: 'Europe/Paris',
      args: [7],
    });
  });

  afterAll(async () => {
    await closeOpenApps();
    await deleteKeys(keyPrefix);
  });

  it('lists the decorated and the runtime schedule the beat published', async () => {
    let schedules: ScheduleInfo[] = [];
    await waitUntil(
      async () => {
        schedules = await list();
        return schedules.length === 2;
      },
      15_000,
      'both schedules published',
    );
    expect(schedules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: hourly,
          kind: 'interval',
          description: 'every 1h',
          paused: false,
        }),
        expect.objectContaining({
          name: nightly,
          task: 'reports.nightly',
          kind: 'cron',
          args: [7],
          source: 'runtime',
        }),
      ]),
    );
    const nightlyInfo = schedules.find((each) => each.name === nightly)!;
    expect(new Date(nightlyInfo.nextRunAt as unknown as string).getTime()).toBe(
      (await registry.getSchedule(nightly)).nextRunAt!.getTime(),
    );
  });

  it('pauses a schedule for every beat, and resumes it', async () => {
    const paused = await cli('schedules', 'pause', hourly, '--json');
    expect(paused.code).toBe(0);
    expect(jsonOf(paused)).toMatchObject({ name: hourly, paused: true });
    expect((await registry.getSchedule(hourly)).paused).toBe(true);
    expect((await list()).find((each) => each.name === hourly)).toMatchObject({
      paused: true,
      nextRunAt: null,
    });

    const resumed = await cli('schedules', 'resume', hourly);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`${hourly}: running`);
    expect((await registry.getSchedule(hourly)).paused).toBe(false);
  });

  it('a name no beat published fails (1); no store to read fails as usage (64)', async () => {
    const unknown = await cli('schedules', 'pause', 'no-such-schedule');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no schedule "no-such-schedule"/);
    const noStore = await celeriac(['schedules', 'list', '--broker', AMQP_URL]);
    expect(noStore.code).toBe(64);
    expect(noStore.stderr).toMatch(/--lock-url/);
  });
});
