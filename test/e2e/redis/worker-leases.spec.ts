import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { TaskClient } from '../../../lib';
import { toCeleryIso } from '../../../lib/protocol';
import { RedisKeys } from '../../../lib/transports/redis';
import { TestApps } from '../../support/test-apps';
import { sleep, uniqueName, waitUntil } from '../../support/wait';
import { CAPTURED_SEND_TASK } from './celery-captures';
import { FaultAppModule, FaultConfig } from './fixtures/fault-app';
import { REDIS_URL, deletePrefix, uniquePrefix } from './redis-test-support';

/** Worker-level lease and eta behaviour on real Redis, with a short lease. */
describe('redis workers: leases and Python eta messages', () => {
  const admin = new Redis(REDIS_URL);
  const apps = new TestApps();
  let config: FaultConfig;
  let keys: RedisKeys;

  const app = (overrides: Partial<FaultConfig>, worker: boolean) =>
    apps.openModule({
      imports: [
        FaultAppModule.register(
          { ...config, ...overrides },
          worker ? { queues: [config.queue], concurrency: 2 } : false,
        ),
      ],
    });

  beforeEach(() => {
    config = {
      redisUrl: REDIS_URL,
      prefix: uniquePrefix('worker-leases'),
      queue: uniqueName('leases'),
      leaseMs: 900,
      taskMs: 4000,
    };
    keys = new RedisKeys(config.prefix);
  });

  afterEach(async () => {
    await apps.close();
    await deletePrefix(admin, config.prefix);
  });

  afterAll(async () => {
    await admin.quit();
  });

  it('does not redeliver a task that runs for several leases while its worker lives', async () => {
    const client = (await app({}, false)).get(TaskClient);
    await app({}, true);
    const long = await client.send<{ id: string }>('fault.slow', ['long']);
    await waitUntil(
      async () => (await admin.hlen(keys.unacked)) === 1,
      5000,
      'the task to be taken',
    );
    // A second worker watches the queue all along: a redelivery would reach it.
    await app({ taskMs: 10 }, true);
    expect(await long.get({ timeout: 15 })).toEqual(
      expect.objectContaining({ id: 'long' }),
    );
    expect(await admin.hget(`${config.prefix}fault:starts`, 'long')).toBe('1');
    expect(await admin.hlen(keys.unacked)).toBe(0);
  }, 30_000);

  /** Pushes Celery's captured `tasks.add(2, 3)` with `eta` onto the queue; returns its id. */
  const pushPythonEta = async (eta: Date): Promise<string> => {
    const id = randomUUID();
    const envelope = CAPTURED_SEND_TASK.replaceAll(
      'a5e7a51a-0600-40ac-a93f-3e84ca69a206',
      id,
    )
      .replace('"eta": null', `"eta": "${toCeleryIso(eta)}"`)
      .replace('"routing_key": "celery"', `"routing_key": "${config.queue}"`);
    await admin.lpush(keys.list(config.queue), envelope);
    return id;
  };

  /** Waits until `tasks.add` ran once and checks it ran on time, with its result stored. */
  const expectRanOnceAt = async (id: string, eta: Date): Promise<void> => {
    await waitUntil(
      async () => (await admin.llen(`${config.prefix}fault:ran`)) === 1,
      eta.getTime() - Date.now() + 5000,
      'the task to run',
    );
    const [ran] = await admin.lrange(`${config.prefix}fault:ran`, 0, -1);
    const ranAt = Number(ran.split(' ')[1]);
    expect(ranAt).toBeGreaterThanOrEqual(eta.getTime() - 10);
    expect(ranAt - eta.getTime()).toBeLessThan(1000);
    const meta = JSON.parse(
      (await admin.get(`${config.prefix}celery-task-meta-${id}`))!,
    ) as { status: string; result: unknown };
    expect(meta).toMatchObject({ status: 'SUCCESS', result: 5 });
  };

  it("holds an eta message LPUSHed by Python until due, Celery's way: unacked, never redelivered by the visibility timeout, run once on time", async () => {
    // A visibility timeout shorter than the wait: kombu's sweep (and ours) would
    // restore a held delivery whose index score was not refreshed.
    await app({ visibilityTimeout: 1 }, true);
    const eta = new Date(Date.now() + 4000);
    const id = await pushPythonEta(eta);
    await waitUntil(
      async () => (await admin.hlen(keys.unacked)) === 1,
      3000,
      'the worker to take the message',
    );
    // A second worker watches the queue all along: a redelivery would reach it.
    await app({ visibilityTimeout: 1 }, true);
    await sleep(2500);
    expect(await admin.hlen(keys.unacked)).toBe(1);
    // kombu's restore_visible (a Python worker's) restores entries whose index score is
    // older than its visibility timeout: the lease renewals keep it fresh.
    const [, score] = await admin.zrange(keys.unackedIndex, 0, 0, 'WITHSCORES');
    expect(Date.now() / 1000 - Number(score)).toBeLessThan(1);
    expect(await admin.llen(keys.list(config.queue))).toBe(0);
    expect(await admin.zcard(keys.delayed(config.queue))).toBe(0);
    await expectRanOnceAt(id, eta);
    await sleep(500);
    expect(await admin.llen(`${config.prefix}fault:ran`)).toBe(1);
    expect(await admin.hlen(keys.unacked)).toBe(0);
  }, 20_000);

  it('does not let held eta messages fill the prefetch: a task due now runs meanwhile', async () => {
    const client = (await app({}, false)).get(TaskClient);
    // concurrency 2, prefetch 8: ten held messages would block it if they counted.
    await app({}, true);
    const later = await Promise.all(
      Array.from({ length: 10 }, () =>
        client.send('fault.quick', [1], { countdown: 30 }),
      ),
    );
    await waitUntil(
      async () => (await admin.hlen(keys.unacked)) === 10,
      5000,
      'the worker to hold the eta messages',
    );
    const now = await client.send<number>('fault.quick', [21]);
    expect(await now.get({ timeout: 5 })).toBe(42);
    expect(await later[0].state()).toBe('PENDING');
  }, 20_000);

  it('with delayStore: true, moves an eta message LPUSHed by Python into the delay store and runs it on time', async () => {
    await app({ delayStore: true }, true);
    const eta = new Date(Date.now() + 1500);
    const id = await pushPythonEta(eta);
    await waitUntil(
      async () => (await admin.zcard(keys.delayed(config.queue))) === 1,
      3000,
      'the message in the delay store',
    );
    expect(await admin.hlen(keys.unacked)).toBe(0); // not held by the worker
    await expectRanOnceAt(id, eta);
  }, 20_000);
});
