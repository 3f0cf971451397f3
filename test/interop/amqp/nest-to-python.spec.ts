import Redis from 'ioredis';
import {
  AsyncResult,
  TaskClient,
  TaskFailedError,
  TaskRevokedError,
} from '../../../lib';
import { recordingLogger } from '../../support/amqp-broker';
import { uniqueName, waitUntil } from '../../support/wait';
import {
  AMQP_BACKENDS,
  AMQP_URL,
  amqpCeleryConfig,
  amqpNames,
} from '../support/interop-amqp';
import {
  REDIS_URL,
  deletePrefix,
  deleteResults,
  interopPrefix,
} from '../support/interop-redis';
import { closeNestApps, nestApp } from '../support/nest-app';
import { CeleryWorker, stopPythonProcesses } from '../support/python';

/** Nest sends over RabbitMQ, Python Celery 5 runs; results in Redis or over rpc://. */
describe.each(AMQP_BACKENDS)(
  'interop on RabbitMQ with $label: Nest sends, a Celery worker runs',
  ({ url: backend }) => {
    const names = amqpNames('n2p');
    const prefix = interopPrefix('amqp-n2p');
    const queue = names.queue('py');
    const config = amqpCeleryConfig(backend, prefix);
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
        CeleryWorker.start({
          name: uniqueName('amqp-n2p'),
          queues: [queue],
          config,
        }),
        nestApp({
          broker: AMQP_URL,
          backend,
          defaultQueue: queue,
          brokerOptions: {
            delayPrefix: names.delayPrefix,
            logger: recordingLogger(),
          },
        }),
      ]);
      client = app.get(TaskClient);
    });

    afterAll(async () => {
      await stopPythonProcesses();
      await closeNestApps();
      await names.cleanup();
      await deletePrefix(redis, prefix);
      await deleteResults(sent);
      await redis.quit();
    });

    it("runs send('py.add', [2, 3]) and get() returns 5", async () => {
      const result = await send<number>('py.add', [2, 3]);
      expect(await result.get({ timeout: 20 })).toBe(5);
      expect(await result.state()).toBe('SUCCESS');
    });

    it('passes kwargs to the Python function as keyword arguments', async () => {
      const result = await send('py.echo', [1], {
        kwargs: { flag: true, nested: { list: [1, null] } },
      });
      expect(await result.get({ timeout: 20 })).toEqual({
        args: [1],
        kwargs: { flag: true, nested: { list: [1, null] } },
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
        excMessage: 'card declined for 42',
      });
    });

    it('a task Celery retries: get() waits through RETRY and returns its value', async () => {
      const result = await send<string>('py.flaky');
      expect(await result.get({ timeout: 20 })).toBe('ok after 1 retry');
    });

    it('a countdown task Celery retries: the retry goes back to its queue, get() returns its value', async () => {
      const result = await send<string>('py.flaky', [], { countdown: 0.5 });
      expect(await result.get({ timeout: 20 })).toBe('ok after 1 retry');
    });

    it('honours a countdown: held in RabbitMQ, run by Celery at its eta, not before', async () => {
      const before = Date.now();
      const result = await send<{ ran_at: number; eta: number }>(
        'py.when',
        [],
        { countdown: 2 },
      );
      const { ran_at: ranAt, eta } = await result.get({ timeout: 20 });
      expect(eta * 1000).toBeGreaterThanOrEqual(before + 2000);
      expect(ranAt).toBeGreaterThanOrEqual(eta);
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

    it('a task that expires while it waits for its eta is REVOKED by Celery, not run', async () => {
      const late = await send('py.add', [1, 2], { countdown: 2, expires: 1 });
      const error = (await late
        .get({ timeout: 20 })
        .catch((e: unknown) => e)) as TaskRevokedError;
      expect(error).toBeInstanceOf(TaskRevokedError);
      expect(error.reason).toBe('expired');
    });
  },
);

/** Priorities on RabbitMQ: both sides declare the queue with x-max-priority; 9 runs first. */
describe('interop on RabbitMQ: priority', () => {
  const names = amqpNames('prio');
  const prefix = interopPrefix('amqp-prio');
  const queue = names.queue('py-prio');
  const redis = new Redis(REDIS_URL);
  const config = amqpCeleryConfig('rpc://', prefix, {
    maxPriority: 10,
    prefetch: 1,
  });

  afterAll(async () => {
    await stopPythonProcesses();
    await closeNestApps();
    await names.cleanup();
    await deletePrefix(redis, prefix);
    await redis.quit();
  });

  it('a worker started on a waiting queue runs 9 first and 0 last', async () => {
    const app = await nestApp({
      broker: AMQP_URL,
      backend: 'rpc://',
      brokerOptions: {
        delayPrefix: names.delayPrefix,
        queues: { [queue]: { maxPriority: 10 } },
        logger: recordingLogger(),
      },
    });
    const client = app.get(TaskClient);
    const order = uniqueName('order');
    const sends: [string, number][] = [
      ['p0-a', 0],
      ['p9-a', 9],
      ['p3', 3],
      ['p6', 6],
      ['p9-b', 9],
      ['p0-b', 0],
      ['p5', 5],
    ];
    for (const [label, priority] of sends) {
      await client.send('py.record', [order, label], {
        queue,
        priority,
        ignoreResult: true,
      });
    }
    // One thread, one message prefetched: it takes them in the order it runs them.
    await CeleryWorker.start({
      name: uniqueName('amqp-prio'),
      queues: [queue],
      config,
      concurrency: 1,
    });
    await waitUntil(
      async () => (await redis.llen(`${prefix}${order}`)) === sends.length,
      20_000,
      'every prioritised task',
    );
    expect(await redis.lrange(`${prefix}${order}`, 0, -1)).toEqual([
      'p9-a',
      'p9-b',
      'p6',
      'p5',
      'p3',
      'p0-a',
      'p0-b',
    ]);
  });
});
