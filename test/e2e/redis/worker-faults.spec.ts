import { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import Redis from 'ioredis';
import { AsyncResult, TaskClient } from '../../../lib';
import { RedisKeys } from '../../../lib/transports/redis';
import { exited, spawnTs, waitForLine } from '../../support/spawn-ts';
import { TestApps } from '../../support/test-apps';
import { uniqueName, waitUntil } from '../../support/wait';
import { FaultAppModule, FaultConfig } from './fixtures/fault-app';
import { REDIS_URL, deletePrefix, uniquePrefix } from './redis-test-support';

type Slow = { id: string; pid: number };

/**
 * Worker processes (`bootstrapWorker`) killed or stopped with tasks running, on real
 * Redis: what they held is run by another worker, nothing is lost.
 */
describe('redis workers: SIGKILL and SIGTERM with tasks running', () => {
  const admin = new Redis(REDIS_URL);
  const apps = new TestApps();
  const children: ChildProcess[] = [];
  let config: FaultConfig;
  let keys: RedisKeys;

  const app = (overrides: Partial<FaultConfig>, worker = false) =>
    apps.openModule({
      imports: [
        FaultAppModule.register(
          { ...config, ...overrides },
          worker ? { queues: [config.queue], concurrency: 4 } : false,
        ),
      ],
    });
  const workerProcess = async (taskMs: number, worker: object) => {
    const child = spawnTs(join(__dirname, 'fixtures', 'fault-worker.ts'), {
      FAULT_CONFIG: JSON.stringify({ ...config, taskMs }),
      FAULT_WORKER: JSON.stringify(worker),
    });
    children.push(child);
    await waitForLine(child, /Consuming/, 30_000);
    return child;
  };
  const count = async (what: 'starts' | 'finishes') =>
    Object.values(await admin.hgetall(`${config.prefix}fault:${what}`)).reduce(
      (sum, n) => sum + Number(n),
      0,
    );
  const sendSlow = async (client: TaskClient, n: number) => {
    const sent: AsyncResult<Slow>[] = [];
    for (let i = 0; i < n; i++)
      sent.push(await client.send<Slow>('fault.slow', [`task-${i}`]));
    return sent;
  };

  beforeEach(() => {
    config = {
      redisUrl: REDIS_URL,
      prefix: uniquePrefix('worker-faults'),
      queue: uniqueName('faults'),
      leaseMs: 1500,
      taskMs: 100,
    };
    keys = new RedisKeys(config.prefix);
  });

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null)
        child.kill('SIGKILL');
      await exited(child);
    }
    await apps.close();
    await deletePrefix(admin, config.prefix);
  });

  afterAll(async () => {
    await admin.quit();
  });

  it('SIGKILL: the running tasks come back after the lease and succeed on another worker', async () => {
    const producer = (await app({})).get(TaskClient);
    const doomed = await workerProcess(60_000, { concurrency: 4 });
    const sent = await sendSlow(producer, 4);
    await waitUntil(
      async () => (await count('starts')) === 4,
      10_000,
      'all four to start',
    );
    expect(await admin.hlen(keys.unacked)).toBe(4);
    doomed.kill('SIGKILL');
    await exited(doomed);

    await app({ taskMs: 50 }, true);
    const results = await Promise.all(sent.map((r) => r.get({ timeout: 15 })));
    expect(results.map((r) => r.id).sort()).toEqual([
      'task-0',
      'task-1',
      'task-2',
      'task-3',
    ]);
    expect(results.every((r) => r.pid === process.pid)).toBe(true);
    expect(await Promise.all(sent.map((r) => r.state()))).toEqual(
      Array(4).fill('SUCCESS'),
    );
    await waitUntil(
      async () => (await admin.hlen(keys.unacked)) === 0,
      5000,
      'acks',
    );
    expect(await admin.zcard(keys.leases)).toBe(0);
  }, 40_000);

  it('SIGTERM: running tasks finish, fetched ones go back at once and run on the other worker', async () => {
    const producer = (await app({})).get(TaskClient);
    // Two run, two wait in the prefetch. The lease is long: whatever comes back
    // quickly was given back, not restored after a lease.
    config.leaseMs = 60_000;
    const stopping = await workerProcess(1500, {
      concurrency: 2,
      prefetchMultiplier: 2,
      shutdownTimeout: 20,
    });
    const sent = await sendSlow(producer, 4);
    await waitUntil(
      async () => (await count('starts')) === 2,
      10_000,
      'two to start',
    );
    await waitUntil(
      async () => (await admin.hlen(keys.unacked)) === 4,
      5000,
      'four held',
    );
    stopping.kill('SIGTERM');
    await exited(stopping);
    // What was running finished in the stopping worker, before it exited.
    expect(await count('finishes')).toBe(2);
    expect(await admin.hlen(keys.unacked)).toBe(0);
    expect(await admin.llen(keys.list(config.queue))).toBe(2);

    await app({ taskMs: 50 }, true);
    const results = await Promise.all(sent.map((r) => r.get({ timeout: 10 })));
    const byPid = results.filter((r) => r.pid === stopping.pid);
    expect(byPid).toHaveLength(2);
    expect(results.filter((r) => r.pid === process.pid)).toHaveLength(2);
    expect(await count('starts')).toBe(4); // nothing ran twice
  }, 40_000);
});
