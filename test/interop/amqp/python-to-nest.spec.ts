import Redis from 'ioredis';
import { recordingLogger } from '../../support/amqp-broker';
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
import { InteropTasks } from '../support/nest-tasks';
import {
  PythonCall,
  PythonCallReport,
  sendFromPython,
  stopPythonProcesses,
} from '../support/python';

/**
 * Python sends over RabbitMQ with `app.send_task`, a Celeriac worker runs, Python's
 * `AsyncResult.get()` reads: from Redis, or from the reply the Celeriac worker
 * publishes to the Python client's rpc:// reply queue.
 */
describe.each(AMQP_BACKENDS)(
  'interop on RabbitMQ with $label: Python sends, a Celeriac worker runs',
  ({ url: backend }) => {
    const names = amqpNames('p2n');
    const prefix = interopPrefix('amqp-p2n');
    const queue = names.queue('nest');
    const config = amqpCeleryConfig(backend, prefix);
    const redis = new Redis(REDIS_URL);
    const sent = new Set<string>();

    const python = async (
      ...calls: PythonCall[]
    ): Promise<PythonCallReport[]> => {
      const reports = (
        await sendFromPython(config, {
          calls: calls.map((call) => ({
            wait: 20,
            ...call,
            options: { queue, ...call.options },
          })),
        })
      ).calls;
      for (const report of reports) sent.add(report.id);
      return reports;
    };

    beforeAll(async () => {
      await nestApp(
        {
          broker: AMQP_URL,
          backend,
          brokerOptions: {
            delayPrefix: names.delayPrefix,
            logger: recordingLogger(),
          },
          worker: { queues: [queue], concurrency: 4 },
        },
        [InteropTasks],
      );
    });

    afterAll(async () => {
      await stopPythonProcesses();
      await closeNestApps();
      await names.cleanup();
      await deletePrefix(redis, prefix);
      await deleteResults(sent);
      await redis.quit();
    });

    it("runs send_task('math.add', args=[2, 3]) and Python's get() returns 5", async () => {
      const [report] = await python({ name: 'math.add', args: [2, 3] });
      expect(report).toMatchObject({ state: 'SUCCESS', result: 5 });
    });

    it('a task that throws reaches Python as a failure it can read', async () => {
      const [typeError, declined] = await python(
        { name: 'nest.type_error', args: ['x'] },
        { name: 'nest.decline', args: [42] },
      );
      expect(typeError).toMatchObject({
        state: 'FAILURE',
        exc_type: 'TypeError',
        exc_module: 'builtins',
        exc_message: 'expected a number, got "x"',
        is_instance: { TypeError: true, Exception: true },
      });
      expect(typeError.traceback).toContain('TypeError: expected a number');
      expect(declined).toMatchObject({
        state: 'FAILURE',
        exc_type: 'PaymentDeclined',
        exc_message: 'card declined for 42',
      });
    });

    it("a task that retries: Python's get() waits through RETRY and returns its value", async () => {
      const [report] = await python({ name: 'nest.flaky' });
      expect(report).toMatchObject({
        state: 'SUCCESS',
        result: 'ok after 1 retry',
      });
    });

    it('passes kwargs to the Nest task as one last argument object', async () => {
      const reports = await python(
        { name: 'nest.greet', args: ['Ada'], kwargs: { punctuation: '!' } },
        { name: 'nest.greet', args: ['Ada'] },
        { name: 'nest.area', kwargs: { width: 2, height: 3 } },
      );
      expect(reports.map((report) => report.result)).toEqual([
        'Hello, Ada!',
        'Hello, Ada.',
        6,
      ]);
    });

    it("honours Python's countdown: deferred into RabbitMQ's delay levels, run at its eta", async () => {
      const started = Date.now();
      const [report] = await python({
        name: 'nest.when',
        options: { countdown: 2 },
      });
      const { ranAt, eta } = report.result as { ranAt: number; eta: number };
      expect(eta).toBeGreaterThanOrEqual(started + 2000);
      expect(ranAt).toBeGreaterThanOrEqual(eta);
    });

    it('app.control.revoke reaches the Celeriac worker: a waiting task is REVOKED, not run', async () => {
      // It waits in the delay levels for its eta when the revoke comes.
      const [report] = await python({
        name: 'nest.when',
        options: { countdown: 2 },
        revoke: true,
      });
      expect(report).toMatchObject({
        state: 'REVOKED',
        exc_type: 'TaskRevokedError',
        exc_message: 'revoked',
      });
    });

    it("honours Python's expires: the task is REVOKED, not run", async () => {
      const reports = await python(
        { name: 'math.add', args: [1, 1], options: { expires: -1 } },
        {
          name: 'math.add',
          args: [1, 2],
          options: { countdown: 2, expires: 1 },
        },
      );
      for (const report of reports) {
        expect(report).toMatchObject({
          state: 'REVOKED',
          exc_type: 'TaskRevokedError',
          exc_message: 'expired',
        });
      }
    });
  },
);
