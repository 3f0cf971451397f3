import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { Task, TaskClient } from '../../../lib';
import { RedisKeys } from '../../../lib/transports/redis';
import { holdResultStores } from '../../support/held-stores';
import { TestApps, onRedis } from '../../support/test-apps';
import { sleep, uniqueName, waitUntil } from '../../support/wait';
import { REDIS_URL, deletePrefix, uniquePrefix } from './redis-test-support';

@Injectable()
class QuickTasks {
  readonly done: number[] = [];

  @Task('prefetch.quick')
  quick(n: number): number {
    this.done.push(n);
    return n;
  }
}

/**
 * A Redis worker frees a delivery's prefetch place once its task has run, while the
 * result store and the ack are still under way; as many more may wait to settle.
 */
describe('redis worker: prefetch places of tasks that have run', () => {
  const keyPrefix = uniquePrefix('prefetch');
  const admin = new Redis(REDIS_URL);
  const apps = new TestApps(() => ({
    ...onRedis(keyPrefix),
    backend: REDIS_URL,
  }));

  afterEach(async () => {
    await apps.close();
    await deletePrefix(admin, keyPrefix);
  });
  afterAll(() => admin.quit());

  it('fetches the next task while the result of the last one waits to be stored, one settling at most', async () => {
    const queue = uniqueName('prefetch');
    let letStoresGo = () => {};
    const app = await apps.open(
      {
        defaultQueue: queue,
        worker: { concurrency: 1, prefetchMultiplier: 1 },
      },
      {
        providers: [QuickTasks],
        beforeInit: (module) => (letStoresGo = holdResultStores(module)),
      },
    );
    const tasks = app.get(QuickTasks);
    const client = app.get(TaskClient);
    const sent = await Promise.all(
      Array.from({ length: 10 }, (_, n) => client.send('prefetch.quick', [n])),
    );

    // Prefetch 1: task 0 runs and frees its place though its result is not stored,
    // so task 1 is fetched and runs; it keeps its place, as task 0 fills the budget
    // of deliveries waiting to settle. Had places waited for the settle, only task 0.
    await waitUntil(() => tasks.done.length === 2, 5000, 'two tasks run');
    await sleep(300);
    expect(tasks.done).toEqual([0, 1]);
    expect(await admin.llen(new RedisKeys(keyPrefix).list(queue))).toBe(8);

    letStoresGo();
    expect(
      await Promise.all(sent.map((result) => result.get({ timeout: 5 }))),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
