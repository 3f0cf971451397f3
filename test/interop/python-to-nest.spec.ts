import { randomUUID } from 'node:crypto';
import { DeadLetters } from '../../lib';
import { waitUntil } from '../support/wait';
import { BROKERS_AND_BACKENDS, interopBroker } from './support/brokers';
import { CollectingLogger } from '../support/collecting-logger';
import { nestApp } from './support/nest-app';
import { InteropTasks } from './support/nest-tasks';
import { PythonCall, PythonCallReport, sendFromPython } from './support/python';

/**
 * Python sends with `app.send_task`, a Celeriac worker runs, Python's
 * `AsyncResult.get()` reads: from Redis, or (rpc://) from the reply the Celeriac
 * worker publishes to the Python client's reply queue.
 */
describe.each(BROKERS_AND_BACKENDS)(
  'interop on $label: Python sends, a Celeriac worker runs',
  (setup) => {
    const broker = interopBroker(setup, 'p2n');
    const queue = broker.queue('nest');
    const config = broker.celeryConfig();
    const logs = new CollectingLogger();

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
      for (const report of reports) broker.sent.add(report.id);
      return reports;
    };

    let deadLetters: DeadLetters;

    beforeAll(async () => {
      const app = await nestApp(
        broker.nestOptions({
          worker: {
            queues: [queue],
            concurrency: 4,
            nodeName: `${queue}@interop`,
          },
          extendedResults: true,
        }),
        [InteropTasks],
        logs,
      );
      deadLetters = app.get(DeadLetters);
    });

    afterAll(() => broker.cleanup());

    it("runs send_task('math.add', args=[2, 3]) and Python's get() returns 5", async () => {
      const [report] = await python({ name: 'math.add', args: [2, 3] });
      expect(report).toMatchObject({ state: 'SUCCESS', result: 5 });
      // Python parsed our date_done (naive UTC, as Celery 5.2) into a datetime; an rpc:// reply
      // has none, as Celery's own do not.
      if (setup.backendUrl === 'rpc://') expect(report.date_done).toBeNull();
      else expect(report.date_done).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    });

    it('extendedResults: Python reads name, args, kwargs, worker, retries and queue as from its own workers', async () => {
      const [report] = await python({
        name: 'nest.echo',
        args: [1, 'two'],
        kwargs: { three: 3 },
      });
      if (setup.backendUrl === 'rpc://') {
        // rpc:// replies carry the state and result only, as Celery's do.
        expect(report).toMatchObject({ state: 'SUCCESS', name: null });
        return;
      }
      expect(report).toMatchObject({
        state: 'SUCCESS',
        name: 'nest.echo',
        args: [1, 'two'],
        kwargs: { three: 3 },
        worker: `${queue}@interop`,
        retries: 0,
        queue,
      });
    });

    if (setup.backendUrl !== 'rpc://') {
      it("date_done in Celery 5.2's form: Python sorts a mix of Nest and Python results by it", async () => {
        const [nest] = await python({ name: 'math.add', args: [1, 1] });
        const own = randomUUID();
        broker.sent.add(own);
        const { sorted } = await sendFromPython(config, {
          sort_by_date_done: { ids: [nest.id], store_own: own },
        });
        expect(sorted).toEqual([nest.id, own]);
        // Naive UTC, as Celery 5.2 writes it: no offset.
        expect(nest.date_done).toMatch(
          /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/,
        );
      });
    }

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

    it("maps Python's kwargs to the Nest task's parameters by name, alone or after args", async () => {
      const reports = await python(
        { name: 'math.add', kwargs: { a: 2, b: 3 } },
        { name: 'math.add', args: [2], kwargs: { b: 3 } },
        { name: 'nest.greet', args: ['Ada'], kwargs: { punctuation: '!' } },
        { name: 'nest.greet', args: ['Ada'] },
        { name: 'nest.area', kwargs: { width: 2, height: 3 } },
        { name: 'nest.echo', args: [1, [2]], kwargs: { a: { b: null } } },
        {
          name: 'nest.date',
          kwargs: { at: '2026-03-14T10:00:00.123456+00:00' },
        },
      );
      expect(reports.map((report) => report.state)).toEqual(
        reports.map(() => 'SUCCESS'),
      );
      expect(reports.map((report) => report.result)).toEqual([
        5,
        5,
        'Hello, Ada!',
        'Hello, Ada.', // left out: the default applies
        6,
        { args: [1, [2]], kwargs: { a: { b: null } } },
        { isDate: true, iso: '2026-03-14T10:00:00.123Z' },
      ]);
    });

    it('arguments that do not fit: Python reads a TypeError naming the task and its parameters', async () => {
      const reports = await python(
        { name: 'math.add', args: [1] },
        { name: 'math.add', args: ['2', '3', '4'] },
        { name: 'math.add', args: [1], kwargs: { c: 2 } },
        { name: 'math.add', args: [1, 2], kwargs: { a: 3 } },
      );
      const messages = [
        "math.add() missing 1 required positional argument: 'b'",
        'math.add() takes 2 positional arguments but 3 were given',
        "math.add() got an unexpected keyword argument 'c'",
        "math.add() got multiple values for argument 'a'",
      ];
      reports.forEach((report, index) => {
        expect(report).toMatchObject({
          state: 'FAILURE',
          exc_type: 'TypeError',
          exc_module: 'builtins',
          is_instance: { TypeError: true },
        });
        expect(report.exc_message).toContain(messages[index]);
        expect(report.exc_message).toContain(
          "(the task's parameters: math.add(a, b))",
        );
      });
    });

    it("Python's soft_time_limit: a task that calls throwIfAborted() fails with Celery's SoftTimeLimitExceeded", async () => {
      const [limited, free] = await python(
        { name: 'nest.steps', args: [5000], options: { soft_time_limit: 1 } },
        { name: 'nest.steps', args: [300] },
      );
      expect(limited).toMatchObject({
        state: 'FAILURE',
        exc_type: 'SoftTimeLimitExceeded',
        exc_module: 'billiard.exceptions',
      });
      // billiard's own str() of it: SoftTimeLimitExceeded('soft time limit (1 s) exceeded',)
      expect(limited.exc_message).toContain('soft time limit (1 s) exceeded');
      expect(free).toMatchObject({ state: 'SUCCESS', result: 'done' });
    });

    it('a Python chain of Nest tasks: each step gets the previous result, Python reads the last', async () => {
      const { workflow } = await sendFromPython(config, {
        workflow: {
          chain: [
            { name: 'math.add', args: [1, 2], options: { queue } },
            { name: 'math.add', args: [10], options: { queue } },
          ],
        },
      });
      broker.sent.add(workflow!.id);
      for (const id of workflow!.parents) broker.sent.add(id);
      expect(workflow).toMatchObject({ state: 'SUCCESS', result: 13 });
      expect(workflow!.parents).toHaveLength(1);
    });

    it("a gzip-compressed message (compression='gzip', kombu's application/x-gzip) runs", async () => {
      const [report] = await python({
        name: 'nest.echo',
        args: ['x'.repeat(5000)],
        options: { compression: 'gzip' },
      });
      expect(report).toMatchObject({ state: 'SUCCESS' });
      expect(JSON.stringify(report.result)).toContain('x'.repeat(5000));
    });

    it("a bzip2-compressed message (not in Node's zlib): FAILURE ContentDisallowed at once, naming compression; dead-lettered", async () => {
      const [report] = await python({
        name: 'math.add',
        args: [1, 2],
        options: { compression: 'bzip2' },
      });
      expect(report).toMatchObject({
        state: 'FAILURE',
        exc_type: 'ContentDisallowed',
        raised: 'kombu.exceptions.ContentDisallowed',
      });
      expect(report.exc_message).toContain(
        'compression "application/x-bz2" is not supported',
      );
      expect(logs.lines).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `Cannot run task math\\.add\\[${report.id}\\] from ${queue}: ContentDisallowed: compression "application/x-bz2"`,
          ),
        ),
      );
      const letters = await deadLetters.list(queue);
      const letter = letters.find(
        (dead) => dead.message?.headers.id === report.id,
      );
      expect(letter?.reason).toMatch(/ContentDisallowed: compression/);
    });

    it(`honours Python's countdown: waits in ${setup.delaysIn}, run at its eta`, async () => {
      const started = Date.now();
      const sending = python({ name: 'nest.when', options: { countdown: 2 } });
      // The worker takes the eta message from the queue and holds or defers it.
      await waitUntil(
        async () => (await broker.waitingForEta(queue)) === 1,
        10_000,
        'the eta message waiting',
      );
      const [report] = await sending;
      const { ranAt, eta } = report.result as { ranAt: number; eta: number };
      expect(eta).toBeGreaterThanOrEqual(started + 2000);
      expect(ranAt).toBeGreaterThanOrEqual(eta);
      expect(await broker.waitingForEta(queue)).toBe(0);
    });

    it('app.control.revoke reaches the Celeriac worker: a waiting task is REVOKED, not run', async () => {
      // It waits in the delay store or levels for its eta when the revoke comes.
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
        // Expires while it waits for its eta in the delay store or levels.
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
