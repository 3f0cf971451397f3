import { Injectable } from '@nestjs/common';
import {
  BEAT_HEADERS,
  DuplicateScheduleError,
  InvalidScheduleError,
  Periodic,
  ScheduleRegistry,
  Task,
  TaskClient,
  TaskRegistry,
} from '../../../lib';
import { MemoryBroker } from '../../../lib/transports/memory';
import { memoryApp } from '../../support/memory-app';
import { sleep, waitUntil } from '../../support/wait';

@Injectable()
class ReportTasks {
  runs: string[] = [];

  @Periodic({
    cron: '0 * * * *',
    timezone: 'Europe/Paris',
    name: 'reports.hourly',
    queue: 'reports',
  })
  hourly(): string {
    this.runs.push('hourly');
    return 'report';
  }

  @Periodic({ every: '1s', name: 'ticks.second', args: ['beat'] })
  second(from: string): string {
    this.runs.push(from);
    return from;
  }

  @Task('ticks.count')
  count(from: string): string {
    this.runs.push(from);
    return from;
  }
}

/** Sent messages of `queue` as the broker keeps them (nothing consumes them). */
function sent(
  broker: MemoryBroker,
  queue = 'celery',
): Array<{ task: string; schedule: string; tick: string }> {
  const out = [];
  for (let stored = broker.take(queue); stored; stored = broker.take(queue)) {
    const { headers } = JSON.parse(stored.serialized) as {
      headers: Record<string, string>;
    };
    out.push({
      task: headers.task,
      schedule: headers[BEAT_HEADERS.schedule],
      tick: headers[BEAT_HEADERS.tick],
    });
  }
  return out;
}

describe('@Periodic and beat on the memory broker', () => {
  it('registers a periodic method as a task, which can also be sent by hand', async () => {
    const { app } = await memoryApp(
      { providers: [ReportTasks] },
      { worker: { queues: ['reports'] } },
    );
    expect(app.get(TaskRegistry).get('reports.hourly')?.options).toMatchObject({
      queue: 'reports',
    });
    const result = await app.get(TaskClient).send('reports.hourly');
    expect(await result.get({ timeout: 5 })).toBe('report');
    const schedules = await app.get(ScheduleRegistry).getSchedules();
    expect(
      schedules.map((s) => [s.name, s.task, s.kind, s.description, s.source]),
    ).toEqual([
      [
        'reports.hourly',
        'reports.hourly',
        'cron',
        'cron "0 * * * *" in Europe/Paris',
        'decorator',
      ],
      ['ticks.second', 'ticks.second', 'interval', 'every 1s', 'decorator'],
    ]);
    const hourly = schedules[0];
    expect(hourly.nextRunAt!.getTime() % 3_600_000).toBe(0);
    expect(hourly.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
    // The next whole hour, not a later one.
    expect(hourly.nextRunAt!.getTime()).toBeLessThanOrEqual(
      Date.now() + 3_600_000,
    );
    expect(hourly.lastRunAt).toBeNull();
  });

  it('fires a 1 s schedule with its arguments, once a second, when beat runs in the app', async () => {
    const { app } = await memoryApp(
      { providers: [ReportTasks] },
      { worker: true, beat: true },
    );
    const tasks = app.get(ReportTasks);
    await waitUntil(
      () => tasks.runs.length >= 2,
      5000,
      'two runs of the 1 s schedule',
    );
    expect(tasks.runs.slice(0, 2)).toEqual(['beat', 'beat']);
    const info = await app.get(ScheduleRegistry).getSchedule('ticks.second');
    expect(info.lastRunAt!.getTime() % 1000).toBe(0);
    expect(info.nextRunAt!.getTime()).toBe(info.lastRunAt!.getTime() + 1000);
  });

  it('enqueues each tick once however many beats share the broker, with the schedule and tick in headers', async () => {
    const beats = [
      await memoryApp({ providers: [ReportTasks] }, { beat: true }),
    ];
    const broker = `memory://${beats[0].brokerName}`;
    for (let i = 0; i < 2; i++)
      beats.push(
        await memoryApp({ providers: [ReportTasks] }, { broker, beat: true }),
      );
    const runs: ReturnType<typeof sent> = [];
    const twoMoreTicks = async (what: string) => {
      const target = runs.length + 2;
      await waitUntil(
        () => {
          runs.push(
            ...sent(beats[0].broker).filter(
              (run) => run.schedule === 'ticks.second',
            ),
          );
          return runs.length >= target;
        },
        5000,
        what,
      );
    };
    await twoMoreTicks('two ticks with three beats');
    // Stopping beats one by one: ticks go on, each once, while any beat is left.
    await beats[0].app.close();
    await twoMoreTicks('two ticks once the first beat stopped');
    await beats[1].app.close();
    await twoMoreTicks('two ticks from the last beat');
    await beats[2].app.close();
    expect(new Set(runs.map((run) => run.tick)).size).toBe(runs.length);
    expect(
      runs.every(
        (run) =>
          run.task === 'ticks.second' && Date.parse(run.tick) % 1000 === 0,
      ),
    ).toBe(true);
  });

  it('pauses and resumes a schedule', async () => {
    const { app, broker } = await memoryApp(
      { providers: [ReportTasks] },
      { beat: true },
    );
    const registry = app.get(ScheduleRegistry);
    registry.addSchedule({
      name: 'fast',
      task: 'ticks.count',
      every: 100,
      args: ['fast'],
    });
    // The 1 s ticks.second also sends to 'celery': count the runs of 'fast' only.
    const runsOfFast = (into: ReturnType<typeof sent>) => () => {
      into.push(...sent(broker).filter((run) => run.schedule === 'fast'));
      return into.length >= 2;
    };
    await waitUntil(runsOfFast([]), 3000, 'two runs of fast');
    await registry.pauseSchedule('fast');
    expect(await registry.getSchedule('fast')).toMatchObject({
      paused: true,
      nextRunAt: null,
    });
    sent(broker);
    await sleep(500);
    expect(sent(broker).filter((run) => run.schedule === 'fast')).toEqual([]);
    const resumedAt = Date.now();
    await registry.resumeSchedule('fast');
    expect((await registry.getSchedule('fast')).paused).toBe(false);
    const after: ReturnType<typeof sent> = [];
    await waitUntil(runsOfFast(after), 3000, 'two runs of fast after resuming');
    // Resuming does not catch up the ticks that passed while paused.
    expect(after.length).toBeLessThan(5);
    for (const run of after)
      expect(Date.parse(run.tick)).toBeGreaterThan(resumedAt - 100);
  });

  it('adds and deletes a schedule at runtime, sending the task by name', async () => {
    const { app } = await memoryApp(
      { providers: [ReportTasks] },
      { worker: true, beat: true },
    );
    const registry = app.get(ScheduleRegistry);
    const tasks = app.get(ReportTasks);
    registry.addSchedule({
      name: 'runtime.count',
      task: 'ticks.count',
      every: '100ms',
      args: ['added'],
    });
    expect(registry.doesExist('runtime.count')).toBe(true);
    await waitUntil(
      () => tasks.runs.filter((run) => run === 'added').length >= 3,
      3000,
      'three runs',
    );
    expect(await registry.getSchedule('runtime.count')).toMatchObject({
      source: 'runtime',
      args: ['added'],
      description: 'every 100ms',
    });
    expect(() =>
      registry.addSchedule({
        name: 'runtime.count',
        task: 'ticks.count',
        every: 100,
      }),
    ).toThrow(DuplicateScheduleError);
    expect(() =>
      registry.addSchedule({
        name: 'bad',
        task: 'ticks.count',
        cron: '* * 32 * *',
      }),
    ).toThrow(
      /addSchedule "bad": cron expression "\* \* 32 \* \*" is not valid/,
    );
    registry.deleteSchedule('runtime.count');
    await sleep(50);
    const count = tasks.runs.filter((run) => run === 'added').length;
    await sleep(400);
    expect(tasks.runs.filter((run) => run === 'added').length).toBe(count);
    await expect(registry.getSchedule('runtime.count')).rejects.toThrow(
      'No schedule named "runtime.count"',
    );
  });
});

describe('@Periodic declarations checked at bootstrap', () => {
  it.each([
    [
      'a bad cron expression',
      { cron: '61 * * * *' },
      /@Periodic on Bad\.run: cron expression "61 \* \* \* \*" is not valid/,
    ],
    [
      'a bad interval',
      { every: 'often' },
      /@Periodic on Bad\.run: interval "often" is not a duration/,
    ],
    [
      'a zero interval',
      { every: 0 },
      /@Periodic on Bad\.run: interval "0ms" must be a whole number/,
    ],
    [
      'a bad time zone',
      { cron: '0 9 * * *', timezone: 'Paris' },
      /@Periodic on Bad\.run: time zone "Paris" is not an IANA time zone/,
    ],
    [
      'a bad catch-up policy',
      { every: '1m', catchUp: 'some' },
      /@Periodic on Bad\.run: catchUp must be 'none', 'one' or 'all'/,
    ],
  ])(
    'fails on %s, naming the method and the value',
    async (_what, options, message) => {
      @Injectable()
      class Bad {
        @Periodic(options as never)
        run(): void {}
      }
      const bootstrap = memoryApp({ providers: [Bad] });
      await expect(bootstrap).rejects.toBeInstanceOf(InvalidScheduleError);
      await expect(bootstrap).rejects.toThrow(message);
    },
  );

  it('takes the task options of an explicit @Task, and refuses a second name for it', async () => {
    @Injectable()
    class Both {
      @Task({ name: 'both.run', queue: 'slow' })
      @Periodic({ every: '1m', queue: 'fast' })
      run(): void {}
    }
    const { app } = await memoryApp({ providers: [Both] });
    expect(app.get(TaskRegistry).get('both.run')?.options.queue).toBe('slow');
    expect(
      await app.get(ScheduleRegistry).getSchedule('both.run'),
    ).toMatchObject({ task: 'both.run', queue: 'fast' });

    @Injectable()
    class Conflicting {
      @Periodic({ every: '1m', name: 'other.name' })
      @Task('conflicting.run')
      run(): void {}
    }
    await expect(memoryApp({ providers: [Conflicting] })).rejects.toThrow(
      /@Periodic on Conflicting\.run: name "other.name" differs from the task's name "conflicting.run"/,
    );
  });

  it('takes several schedules on one method when each has its own scheduleName', async () => {
    @Injectable()
    class Regional {
      @Periodic({
        cron: '0 8 * * *',
        timezone: 'Europe/Paris',
        args: ['eu'],
        scheduleName: 'digest.eu',
      })
      @Periodic({
        cron: '0 8 * * *',
        timezone: 'America/New_York',
        args: ['us'],
        scheduleName: 'digest.us',
      })
      digest(_region: string): void {}
    }
    const { app } = await memoryApp({ providers: [Regional] });
    const schedules = await app.get(ScheduleRegistry).getSchedules();
    expect(schedules.map((s) => [s.name, s.task, s.args])).toEqual([
      ['digest.eu', 'Regional.digest', ['eu']],
      ['digest.us', 'Regional.digest', ['us']],
    ]);

    @Injectable()
    class Twice {
      @Periodic({ every: '1m' })
      @Periodic({ every: '1h' })
      run(): void {}
    }
    await expect(memoryApp({ providers: [Twice] })).rejects.toThrow(
      /Schedule name "Twice.run" is used twice: by @Periodic on Twice.run and by @Periodic on Twice.run/,
    );
  });
});
