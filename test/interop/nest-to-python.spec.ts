import {
  AsyncResult,
  TaskClient,
  TaskFailedError,
  TaskRevokedError,
} from '../../lib';
import { RedisKeys } from '../../lib/transports/redis';
import { uniqueName } from '../support/wait';
import { BROKERS_AND_BACKENDS, REDIS, interopBroker } from './support/brokers';
import { nestApp } from './support/nest-app';
import { CeleryWorker } from './support/python';

/** Nest sends, Python Celery 5 runs: TaskClient on each broker, results in each backend. */
describe.each(BROKERS_AND_BACKENDS)(
  'interop on $label: Nest sends, a Celery worker runs',
  (setup) => {
    const broker = interopBroker(setup, 'n2p');
    const queue = broker.queue('py');
    let client: TaskClient;

    const send = async <R>(
      ...call: Parameters<TaskClient['send']>
    ): Promise<AsyncResult<R>> => {
      const result = await client.send<R>(...call);
      broker.sent.add(result.id);
      return result;
    };

    beforeAll(async () => {
      const [, app] = await Promise.all([
        CeleryWorker.start({
          name: uniqueName('n2p'),
          queues: [queue],
          config: broker.celeryConfig(),
        }),
        nestApp(broker.nestOptions({ defaultQueue: queue })),
      ]);
      client = app.get(TaskClient);
    });

    afterAll(() => broker.cleanup());

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

    it.each(['gzip', 'zlib'] as const)(
      "a message compressed with compression: '%s' runs on the Celery worker, which saw kombu's header",
      async (compression) => {
        const result = await send('py.compression', ['y'.repeat(20_000)], {
          compression,
        });
        expect(await result.get({ timeout: 20 })).toEqual({
          compression: 'application/x-gzip',
          length: 20_000,
        });
      },
    );

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

    it('a countdown task Celery retries: the retry goes back to its queue, get() returns its value', async () => {
      const result = await send<string>('py.flaky', [], { countdown: 0.5 });
      expect(await result.get({ timeout: 20 })).toBe('ok after 1 retry');
    });

    // The queue is consumed by the Celery worker alone: with default options the delay
    // reaches it (Redis: on the list with its eta; RabbitMQ: out of the delay levels).
    it('honours an eta: the Celery worker runs it at its time, not before', async () => {
      const eta = new Date(Date.now() + 2000);
      const result = await send<{ ran_at: number; eta: number }>(
        'py.when',
        [],
        { eta },
      );
      const { ran_at: ranAt, eta: seen } = await result.get({ timeout: 20 });
      expect(seen * 1000).toBeCloseTo(eta.getTime(), -1);
      expect(ranAt * 1000).toBeGreaterThanOrEqual(eta.getTime());
      expect(ranAt * 1000 - eta.getTime()).toBeLessThan(2000);
    });

    it('honours a countdown: the Celery worker does not run it before its eta', async () => {
      const before = Date.now();
      const result = await send<{ ran_at: number; eta: number }>(
        'py.when',
        [],
        { countdown: 2 },
      );
      const { ran_at: ranAt, eta } = await result.get({ timeout: 20 });
      expect(eta * 1000).toBeGreaterThanOrEqual(before + 2000);
      expect(ranAt).toBeGreaterThanOrEqual(eta);
      expect(ranAt - eta).toBeLessThan(2);
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
  },
);

/**
 * Redis only: Celeriac's delay store, which Celery workers never read (RabbitMQ's
 * delay levels they do: nothing to choose there).
 */
describe('interop on Redis: Nest sends, a Celery worker runs', () => {
  const broker = interopBroker(REDIS, 'n2p-delays');
  const keys = new RedisKeys(broker.prefix);
  const queue = broker.queue('py');

  beforeAll(async () => {
    await CeleryWorker.start({
      name: uniqueName('n2p-delays'),
      queues: [queue],
      config: broker.celeryConfig(),
    });
  });

  afterAll(() => broker.cleanup());

  it('delayStore as a predicate: eta messages for Python queues go on the list, others to the delay store', async () => {
    const nestOnly = uniqueName('nest-only');
    const app = await nestApp(
      broker.nestOptions({
        brokerOptions: { delayStore: (name: string) => name !== queue },
      }),
    );
    const producer = app.get(TaskClient);
    const parked = await producer.send('nest.later', [], {
      queue: nestOnly,
      countdown: 3600,
    });
    broker.sent.add(parked.id);
    expect(await broker.redis.zcard(keys.delayed(nestOnly))).toBe(1);
    expect(await broker.redis.llen(keys.list(nestOnly))).toBe(0);

    const before = Date.now();
    const result = await producer.send<{ ran_at: number; eta: number }>(
      'py.when',
      [],
      { queue, countdown: 1 },
    );
    broker.sent.add(result.id);
    const { ran_at: ranAt, eta } = await result.get({ timeout: 20 });
    expect(eta * 1000).toBeGreaterThanOrEqual(before + 1000);
    expect(ranAt).toBeGreaterThanOrEqual(eta);
    expect(await broker.redis.zcard(keys.delayed(queue))).toBe(0);
  });
});
