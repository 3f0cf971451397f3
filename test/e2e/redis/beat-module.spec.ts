import { Injectable } from '@nestjs/common';
import {
  BEAT_HEADERS,
  BeatService,
  Periodic,
  ScheduleRegistry,
} from '../../../lib';
import { memoryApp } from '../../support/memory-app';
import { REDIS_URL, deleteKeys } from '../../support/redis-keys';
import { sleep, uniqueName, waitUntil } from '../../support/wait';

@Injectable()
class PulseTasks {
  @Periodic({ every: 200, name: 'pulse' })
  pulse(): void {}
}

describe('beat in a Nest app, with its tick lock on Redis', () => {
  const keyPrefix = `${uniqueName('beat-module')}:`;
  afterAll(() => deleteKeys(keyPrefix));

  it('is paused and resumed fleet-wide from an app that runs no beat, which sees the last run', async () => {
    const beat = await memoryApp(
      { providers: [PulseTasks] },
      { beat: { lockUrl: REDIS_URL, keyPrefix } },
    );
    const web = await memoryApp(
      { providers: [PulseTasks] },
      {
        broker: `memory://${beat.brokerName}`,
        beat: { lockUrl: REDIS_URL, keyPrefix, run: false },
      },
    );
    expect(beat.app.get(BeatService).running).toBe(true);
    expect(web.app.get(BeatService).running).toBe(false);
    await waitUntil(() => beat.broker.size('celery') >= 2, 3000, 'two pulses');
    const registry = web.app.get(ScheduleRegistry);
    const seen = await registry.getSchedule('pulse');
    expect(seen.lastRunAt).not.toBeNull();
    expect(seen.lastRunAt!.getTime() % 200).toBe(0);

    await registry.pauseSchedule('pulse');
    await sleep(300); // a pass in flight may still finish its tick
    const atPause = beat.broker.size('celery');
    await sleep(600);
    expect(beat.broker.size('celery')).toBe(atPause);

    await registry.resumeSchedule('pulse');
    await waitUntil(
      () => beat.broker.size('celery') > atPause,
      3000,
      'a pulse after resuming',
    );
    const stored = beat.broker.take('celery')!;
    const { headers } = JSON.parse(stored.serialized) as {
      headers: Record<string, string>;
    };
    expect(headers[BEAT_HEADERS.schedule]).toBe('pulse');
    await web.app.close();
    await beat.app.close(); // closes the Redis connection: jest would not exit otherwise
  });
});
