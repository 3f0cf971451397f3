import Redis from 'ioredis';
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
import { CollectingLogger, closeNestApps, nestApp } from '../support/nest-app';
import { InteropTasks } from '../support/nest-tasks';
import {
  PythonCallReport,
  sendFromPython,
  stopPythonProcesses,
} from '../support/python';

/** Python sends with `app.send_task`, a Celeriac worker runs, Python's `AsyncResult.get()` reads. */
describe('interop on Redis: Python sends, a Celeriac worker runs', () => {
  const prefix = interopPrefix('p2n');
  const keys = new RedisKeys(prefix);
  const queue = uniqueName('nest');
  const config = redisCeleryConfig(prefix);
  const redis = new Redis(REDIS_URL);
  const sent = new Set<string>();
  const logs = new CollectingLogger();

  const python = async (
    ...calls: Parameters<typeof sendFromPython>[1]['calls'] & object
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
        broker: REDIS_URL,
        backend: RESULTS_URL,
        brokerOptions: { keyPrefix: prefix },
        worker: { queues: [queue], concurrency: 4 },
      },
      [InteropTasks],
      logs,
    );
  });

  afterAll(async () => {
    await stopPythonProcesses();
    await closeNestApps();
    await deletePrefix(redis, prefix);
    await deleteResults(sent);
    await redis.quit();
  });

  it("runs send_task('math.add', args=[2, 3]) and Python's get() returns 5", async () => {
    const [report] = await python({ name: 'math.add', args: [2, 3] });
    expect(report).toMatchObject({ state: 'SUCCESS', result: 5 });
    // Python parsed our date_done (with +00:00) into a datetime.
    expect(report.date_done).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  });

  it('a task that throws reaches Python as a failure it can read', async () => {
    const [typeError, declined] = await python(
      { name: 'nest.type_error', args: ['x'] },
      { name: 'nest.decline', args: [42] },
    );
    // A JS error named like a Python builtin is that builtin in Python.
    expect(typeError).toMatchObject({
      state: 'FAILURE',
      exc_type: 'TypeError',
      exc_module: 'builtins',
      exc_message: 'expected a number, got "x"',
      is_instance: { TypeError: true, Exception: true },
    });
    expect(typeError.traceback).toContain('TypeError: expected a number');
    // Any other error class: Python rebuilds an exception class of that name.
    expect(declined).toMatchObject({
      state: 'FAILURE',
      exc_type: 'PaymentDeclined',
      exc_message: 'card declined for 42',
      is_instance: { TypeError: false, Exception: true },
    });
  });

  it("a task that retries: Python's get() waits through RETRY and returns its value", async () => {
    const [report] = await python({ name: 'nest.flaky' });
    expect(report).toMatchObject({
      state: 'SUCCESS',
      result: 'ok after 1 retry',
    });
  });

  it('a name no Celeriac worker knows: Python reads celery.exceptions.NotRegistered', async () => {
    const [report] = await python({ name: 'nest.nope', args: [1] });
    expect(report).toMatchObject({
      state: 'FAILURE',
      exc_type: 'NotRegistered',
      exc_module: 'celery.exceptions',
    });
    expect(report.exc_message).toContain('nest.nope');
  });

  it('passes kwargs to the Nest task as one last argument object', async () => {
    const reports = await python(
      { name: 'nest.greet', args: ['Ada'], kwargs: { punctuation: '!' } },
      { name: 'nest.greet', args: ['Ada'] },
      { name: 'nest.area', kwargs: { width: 2, height: 3 } },
      { name: 'nest.echo', args: [1, [2]], kwargs: { a: { b: null } } },
      { name: 'nest.echo', args: [1], kwargs: {} },
    );
    expect(reports.map((report) => report.result)).toEqual([
      'Hello, Ada!',
      'Hello, Ada.', // no kwargs: no extra argument, the default applies
      6,
      [1, [2], { a: { b: null } }],
      [1],
    ]);
  });

  it('a Python chain through a Nest task: the task runs, and the worker warns that the rest does not', async () => {
    const { chain } = await sendFromPython(config, {
      chain: [
        { name: 'math.add', args: [1, 2], options: { queue } },
        { name: 'math.add', args: [10], options: { queue } },
      ],
    });
    const [first, second] = chain!;
    for (const step of chain!) sent.add(step.id);
    expect(first).toMatchObject({ state: 'SUCCESS', result: 3 });
    expect(second.state).toBe('PENDING');
    expect(logs.lines).toContainEqual(
      expect.stringContaining(
        `math.add[${first.id}] carries the rest of a chain (1 more task(s)): Celeriac does not run Celery canvas yet`,
      ),
    );
  });

  it("honours Python's countdown: deferred into the delay store, run at its eta", async () => {
    const started = Date.now();
    const sending = python({ name: 'nest.when', options: { countdown: 2 } });
    // The worker takes the eta message from the list and parks it in the delay store.
    await waitUntil(
      async () => (await redis.zcard(keys.delayed(queue))) === 1,
      10_000,
      'the deferred eta message',
    );
    const [report] = await sending;
    const { ranAt, eta } = report.result as { ranAt: number; eta: number };
    expect(eta).toBeGreaterThanOrEqual(started + 2000);
    expect(ranAt).toBeGreaterThanOrEqual(eta);
    expect(await redis.zcard(keys.delayed(queue))).toBe(0);
  });

  it('app.control.revoke reaches the Celeriac worker: a waiting task is REVOKED, not run', async () => {
    // It waits in the delay store for its eta when the revoke comes.
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
      // Expires while it waits for its eta in the delay store.
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
});
