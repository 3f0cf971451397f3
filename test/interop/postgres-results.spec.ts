import { TaskClient, TaskFailedError, chord } from '../../lib';
import { readPickle } from '../../lib/protocol';
import { PostgresResultBackend } from '../../lib/results/postgres/postgres-result-backend';
import {
  POSTGRES_URL,
  dropSchema,
  sql,
  uniqueSchema,
} from '../support/postgres';
import { REDIS, interopBroker } from './support/brokers';
import { nestApp } from './support/nest-app';
import { InteropTasks } from './support/nest-tasks';
import { CeleryWorker, PythonCall, sendFromPython } from './support/python';

/**
 * Celery's database backend on `db+postgresql://` (SQLAlchemy, psycopg2) and Celeriac's
 * share one database: each reads the rows the other writes, through a Redis broker.
 */
describe('interop: results in PostgreSQL, as Celery’s database backend keeps them', () => {
  const broker = interopBroker(
    {
      ...REDIS,
      label: 'Redis with PostgreSQL results',
      backendUrl: POSTGRES_URL,
    },
    'pg',
  );
  const schema = uniqueSchema('interop');
  const pyQueue = broker.queue('py');
  const nestQueue = broker.queue('nest');
  const config = broker.celeryConfig({
    dbSchema: schema,
    resultExtended: true,
  });
  let client: TaskClient;

  const python = async (...calls: PythonCall[]) =>
    (
      await sendFromPython(config, {
        calls: calls.map((call) => ({
          wait: 20,
          ...call,
          options: { queue: nestQueue },
        })),
      })
    ).calls;

  beforeAll(async () => {
    // Nest creates the tables first; Python's SQLAlchemy finds them there.
    const creator = PostgresResultBackend.fromUrl(POSTGRES_URL, { schema });
    await creator.connect();
    await creator.close();
    const [, app] = await Promise.all([
      CeleryWorker.start({ name: 'pg-results', queues: [pyQueue], config }),
      nestApp(
        broker.nestOptions({
          defaultQueue: pyQueue,
          backendOptions: { schema, pollIntervalMs: 100 },
          worker: {
            queues: [nestQueue],
            concurrency: 2,
            nodeName: 'celeriac@pg',
          },
          extendedResults: true,
        }),
        [InteropTasks],
      ),
    ]);
    client = app.get(TaskClient);
  });

  afterAll(async () => {
    await broker.cleanup();
    await dropSchema(schema);
  });

  it('Nest reads the value a Celery worker stored, a pickled row of celery_taskmeta', async () => {
    const result = await client.send<number>('py.add', [2, 3]);
    expect(await result.get({ timeout: 20 })).toBe(5);
    const [row] = await sql<{ status: string; result: Buffer }>(
      `SELECT status, result FROM ${schema}.celery_taskmeta WHERE task_id = $1`,
      [result.id],
    );
    expect(row.status).toBe('SUCCESS');
    expect(readPickle(row.result)).toBe(5);
  });

  it('Nest reads a Celery failure as the Python exception', async () => {
    const declined = await client.send('py.decline', [42]);
    const error = (await declined
      .get({ timeout: 20 })
      .catch((e: unknown) => e)) as TaskFailedError;
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error).toMatchObject({
      excType: 'PaymentDeclined',
      excModule: 'interop_app',
      excMessage: 'card declined for 42',
    });
    expect(error.traceback).toContain('PaymentDeclined: card declined for 42');
  });

  it('Python’s AsyncResult.get() reads what a Nest worker stored, with the extended fields', async () => {
    const [report] = await python({ name: 'math.add', args: [2, 3] });
    expect(report).toMatchObject({
      state: 'SUCCESS',
      result: 5,
      name: 'math.add',
      args: [2, 3],
      kwargs: {},
      worker: 'celeriac@pg',
      queue: nestQueue,
    });
    expect(report.date_done).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  });

  it('Python reads a Nest failure as the exception it names, and get() raises it', async () => {
    const [report] = await python({
      name: 'nest.fail',
      args: ['boom from nest'],
    });
    expect(report).toMatchObject({
      state: 'FAILURE',
      exc_type: 'ValueError',
      exc_message: 'boom from nest',
      raised: 'builtins.ValueError',
    });
    expect(report.traceback).toContain('boom from nest');
  });

  it('a chord sent from Python on the database backend: a Nest worker runs celery.chord_unlock and the body', async () => {
    const nest = (name: string, args: unknown[]) => ({
      name,
      args,
      options: { queue: nestQueue },
    });
    const { workflow } = await sendFromPython(config, {
      workflow: {
        chord: {
          header: [
            nest('math.add', [1, 1]),
            { name: 'py.add', args: [2, 2], options: { queue: pyQueue } },
            nest('nest.steps', [1200]),
          ],
          body: nest('nest.echo', []),
        },
      },
    });
    expect(workflow).toMatchObject({
      state: 'SUCCESS',
      result: { args: [[2, 4, 'done']], kwargs: {} },
    });
  });

  it('a chord sent from Nest on the database backend, header in Python and Nest, joined by chord_unlock', async () => {
    const result = await chord(
      [
        client.signature<number>('py.add', [1, 2], { queue: pyQueue }),
        client.signature(InteropTasks, 'add', [3, 4], { queue: nestQueue }),
      ],
      client.signature(InteropTasks, 'sum', [], { queue: nestQueue }),
    ).applyAsync();
    expect(await result.get({ timeout: 20 })).toBe(10);
  });
});
