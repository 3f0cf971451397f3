import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { TaskClient } from '../../../lib';
import { toCeleryIso } from '../../../lib/protocol';
import { RedisKeys } from '../../../lib/transports/redis';
import { TestApps } from '../../support/test-apps';
import { uniqueName, waitUntil } from '../../support/wait';
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

  it('moves an eta message LPUSHed by Python into the delay store and runs it on time', async () => {
    await app({}, true);
    const id = randomUUID();
    const eta = new Date(Date.now() + 1500);
    const envelope = CAPTURED_SEND_TASK.replaceAll(
      'a5e7a51a-0600-40ac-a93f-3e84ca69a206',
      id,
    )
      .replace('"eta": null', `"eta": "${toCeleryIso(eta)}"`)
      .replace('"routing_key": "celery"', `"routing_key": "${config.queue}"`);
    await admin.lpush(keys.list(config.queue), envelope);

    await waitUntil(
      async () => (await admin.zcard(keys.delayed(config.queue))) === 1,
      3000,
      'the message in the delay store',
    );
    expect(await admin.hlen(keys.unacked)).toBe(0); // not held by the worker
    await waitUntil(
      async () => (await admin.llen(`${config.prefix}fault:ran`)) === 1,
      5000,
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
  }, 20_000);
});
