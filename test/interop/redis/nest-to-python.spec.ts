import Redis from 'ioredis';
import {
  AsyncResult,
  TaskClient,
  TaskFailedError,
  TaskRevokedError,
} from '../../../lib';
import { RedisKeys } from '../../../lib/transports/redis';
import { uniqueName, waitUntil } from '../../support/wait';
import {
  REDIS_URL,
  RESULTS_URL,
  deletePrefix,
  deleteResults,
  interopPrefix,
  redisCeleryConfig,
} from '../support/interop-redis';
import { closeNestApps, nestApp } from '../support/nest-app';
import { CeleryWorker, stopPythonProcesses } from '../support/python';

/** Nest sends, Python Celery 5 runs: TaskClient over Redis, results in Celery's Redis backend. */
describe('interop on Redis: Nest sends, a Celery worker runs', () => {
  const prefix = interopPrefix('n2p');
  const keys = new RedisKeys(prefix);
  const queue = uniqueName('py');
  const config = redisCeleryConfig(prefix);
  const redis = new Redis(REDIS_URL);
  const sent = new Set<string>();
  let client: TaskClient;

  const send = async <R>(
    ...call: Parameters<TaskClient['send']>
  ): Promise<AsyncResult<R>> => {
    const result = await client.send<R>(...call);
    sent.add(result.id);
    return result;
  };

  beforeAll(async () => {
    const [, app] = await Promise.all([
      CeleryWorker.start({ name: uniqueName('n2p'), queues: [queue], config }),
      nestApp({
        broker: REDIS_URL,
        backend: RESULTS_URL,
        defaultQueue: queue,
        // Python workers never read Celeriac's delay store: eta messages go on the list.
        brokerOptions: { keyPrefix: prefix, delayStore: false },
      }),
    ]);
    client = app.get(TaskClient);
  });

  afterAll(async () => {
    await stopPythonProcesses();
    await closeNestApps();
    await deletePrefix(redis, prefix);
    await deleteResults(sent);
    await redis.quit();
  });

  it("runs send('py.add', [2, 3]) and get() returns 5", async () => {
    const result = await send<number>('py.add', [2, 3]);
    expect(await result.get({ timeout: 20 })).toBe(5);
    expect(await result.state()).toBe('SUCCESS');
    expect(await result.meta()).toMatchObject({
      status: 'SUCCESS',
      result: 5,
      task_id: result.id,
    });
  });

  it('passes kwargs to the Python function as keyword arguments', async () => {
    const result = await send('py.echo', [1, 'two'], {
      kwargs: { flag: true, nested: { list: [1, null] } },
    });
    expect(await result.get({ timeout: 20 })).toEqual({
      args: [1, 'two'],
      kwargs: { flag: true, nested: { list: [1, null] } },
    });
  });

  it("Celeriac's own headers (per-call retry options, custom headers) do not disturb Celery", async () => {
    const result = await send<number>('py.add', [2, 3], {
      maxRetries: 2,
      retryBackoff: true,
      headers: { tenant: 'acme' },
    });
    expect(await result.get({ timeout: 20 })).toBe(5);
  });

  it('a name no Celery worker knows: FAILURE NotRegistered, as Celery stores it', async () => {
    const result = await send('py.nope', [1]);
    await expect(result.get({ timeout: 20 })).rejects.toMatchObject({
      excType: 'NotRegistered',
      excModule: 'celery.exceptions',
      excMessage: 'py.nope',
    });
  });

  it('rejects get() with the Python exception type and message', async () => {
    const failed = await send('py.fail', ['boom from python']);
    const error = (await failed
      .get({ timeout: 20 })
      .catch((e: unknown) => e)) as TaskFailedError;
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error).toMatchObject({
      excType: 'ValueError',
      excModule: 'builtins',
      excMessage: 'boom from python',
    });
    expect(error.traceback).toContain('ValueError: boom from python');

    const declined = await send('py.decline', [42]);
    await expect(declined.get({ timeout: 20 })).rejects.toMatchObject({
      excType: 'PaymentDeclined',
      excModule: 'interop_app',
      excMessage: 'card declined for 42',
    });
    expect(await declined.state()).toBe('FAILURE');
  });

  it('a task Celery retries: get() waits through RETRY and returns its value', async () => {
    const result = await send<string>('py.flaky');
    expect(await result.get({ timeout: 20 })).toBe('ok after 1 retry');
  });

  it('honours a countdown: the Celery worker does not run it before its eta', async () => {
    const before = Date.now();
    const result = await send<{ ran_at: number; eta: number }>('py.when', [], {
      countdown: 2,
    });
    const { ran_at: ranAt, eta } = await result.get({ timeout: 20 });
    expect(eta * 1000).toBeGreaterThanOrEqual(before + 2000);
    expect(ranAt).toBeGreaterThanOrEqual(eta);
  });

  it('delayStore as a predicate: eta messages for Python queues go on the list, others to the delay store', async () => {
    const nestOnly = uniqueName('nest-only');
    const app = await nestApp({
      broker: REDIS_URL,
      backend: RESULTS_URL,
      brokerOptions: {
        keyPrefix: prefix,
        delayStore: (name: string) => name !== queue,
      },
    });
    const producer = app.get(TaskClient);
    const parked = await producer.send('nest.later', [], {
      queue: nestOnly,
      countdown: 3600,
    });
    sent.add(parked.id);
    expect(await redis.zcard(keys.delayed(nestOnly))).toBe(1);
    expect(await redis.llen(keys.list(nestOnly))).toBe(0);

    const before = Date.now();
    const result = await producer.send<{ ran_at: number; eta: number }>(
      'py.when',
      [],
      { queue, countdown: 1 },
    );
    sent.add(result.id);
    const { ran_at: ranAt, eta } = await result.get({ timeout: 20 });
    expect(eta * 1000).toBeGreaterThanOrEqual(before + 1000);
    expect(ranAt).toBeGreaterThanOrEqual(eta);
    expect(await redis.zcard(keys.delayed(queue))).toBe(0);
  });

  it('client.revoke() reaches the Celery worker: a task waiting for its eta is REVOKED, not run', async () => {
    const waiting = await send('py.add', [2, 2], { countdown: 2 });
    await client.revoke(waiting.id);
    const error = (await waiting
      .get({ timeout: 20 })
      .catch((e: unknown) => e)) as TaskRevokedError;
    expect(error).toBeInstanceOf(TaskRevokedError);
    expect(error.reason).toBe('revoked');
  });

  it('an expired task is REVOKED by Celery, not run', async () => {
    const past = await send('py.add', [1, 1], {
      expires: new Date(Date.now() - 1000),
    });
    // Expires before its eta: Celery holds it, then revokes it instead of running it.
    const late = await send('py.add', [1, 2], { countdown: 2, expires: 1 });
    for (const result of [past, late]) {
      const error = (await result
        .get({ timeout: 20 })
        .catch((e: unknown) => e)) as TaskRevokedError;
      expect(error).toBeInstanceOf(TaskRevokedError);
      expect(error.reason).toBe('expired');
      expect(await result.state()).toBe('REVOKED');
    }
  });

  it('priority: a worker started on a waiting queue runs 0 first and 9 last (kombu buckets)', async () => {
    const prioQueue = uniqueName('py-prio');
    const order = uniqueName('order');
    const sends: [string, number][] = [
      ['p9-a', 9],
      ['p0-a', 0],
      ['p6', 6],
      ['p3', 3],
      ['p0-b', 0],
      ['p9-b', 9],
      ['p5', 5],
    ];
    for (const [label, priority] of sends) {
      await send('py.record', [order, label], { queue: prioQueue, priority });
    }
    // One thread, one message prefetched: it takes them in the order it runs them.
    await CeleryWorker.start({
      name: uniqueName('n2p-prio'),
      queues: [prioQueue],
      config: { ...config, prefetch: 1 },
      concurrency: 1,
    });
    await waitUntil(
      async () => (await redis.llen(`${prefix}${order}`)) === sends.length,
      20_000,
      'every prioritised task',
    );
    expect(await redis.lrange(`${prefix}${order}`, 0, -1)).toEqual([
      'p0-a',
      'p0-b',
      'p3',
      'p5',
      'p6',
      'p9-a',
      'p9-b',
    ]);
  });
});
