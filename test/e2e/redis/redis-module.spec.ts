import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { Task, TaskClient } from '../../../lib';
import { TestApps, onRedis } from '../../support/test-apps';
import { uniqueName, waitUntil } from '../../support/wait';
import { REDIS_URL, deletePrefix, uniquePrefix } from './redis-test-support';

@Injectable()
class RedisTasks {
  @Task('redis.add')
  add(a: number, b: number): number {
    return a + b;
  }

  @Task('redis.fail')
  fail(): never {
    throw new TypeError('bad input');
  }
}

/** TaskQueueModule on Redis from its URLs: a producer-only app and a worker app apart. */
describe('TaskQueueModule on redis://', () => {
  const prefix = uniquePrefix('module');
  const queue = uniqueName('module-q');
  const apps = new TestApps(onRedis(prefix, queue));
  const redis = new Redis(REDIS_URL);

  afterAll(async () => {
    await apps.close();
    await deletePrefix(redis, prefix);
    const results = new Redis(`${REDIS_URL}/1`);
    await deletePrefix(results, prefix);
    await Promise.all([results.quit(), redis.quit()]);
  });

  it('sends from a web app and runs on a worker app, results through the Redis backend', async () => {
    const web = await apps.open();
    await apps.open(
      { worker: { queues: [queue], concurrency: 4 } },
      { providers: [RedisTasks] },
    );
    const client = web.get(TaskClient);
    const sum = await client.send<number>('redis.add', [2, 3]);
    expect(await sum.get({ timeout: 10 })).toBe(5);
    const results = new Redis(`${REDIS_URL}/1`);
    const stored = await results.get(`${prefix}celery-task-meta-${sum.id}`);
    await results.quit();
    expect(JSON.parse(stored!)).toMatchObject({
      status: 'SUCCESS',
      result: 5,
      task_id: sum.id,
    });
    await expect(
      (await client.send('redis.fail')).get({ timeout: 10 }),
    ).rejects.toMatchObject({
      excType: 'TypeError',
      excMessage: 'bad input',
    });
    const unknown = await client.send('redis.unknown', [1]);
    await expect(unknown.get({ timeout: 10 })).rejects.toMatchObject({
      excType: 'NotRegistered',
    });
    await waitUntil(
      async () => (await redis.llen(`${prefix}_celeriac.dead.${queue}`)) === 1,
      5000,
      'the dead letter',
    );
  });
});
