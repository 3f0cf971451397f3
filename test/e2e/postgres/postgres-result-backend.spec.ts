import { randomUUID } from 'node:crypto';
import { readPickle, resultMeta } from '../../../lib/protocol';
import { PostgresResultBackend } from '../../../lib/results/postgres/postgres-result-backend';
import { PostgresResultError } from '../../../lib/results/postgres/errors';
import { runPython } from '../../support/run-python';
import { sleep } from '../../support/wait';
import {
  POSTGRES_URL,
  dropSchema,
  sql,
  uniqueSchema,
} from '../../support/postgres';

describe('postgres result backend', () => {
  const schema = uniqueSchema('results');
  const backends: PostgresResultBackend[] = [];
  const open = (
    options: ConstructorParameters<typeof PostgresResultBackend>[1] = {},
  ) => {
    const backend = PostgresResultBackend.fromUrl(POSTGRES_URL, {
      schema,
      pollIntervalMs: 50,
      ...options,
    });
    backends.push(backend);
    return backend;
  };

  afterEach(async () => {
    await Promise.all(backends.splice(0).map((backend) => backend.close()));
  });

  afterAll(() => dropSchema(schema));

  it("creates Celery's tables and sequences, as SQLAlchemy's models declare them", async () => {
    await open().connect();
    const columns = await sql<{
      table_name: string;
      column_name: string;
      data_type: string;
    }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = $1 ORDER BY table_name, ordinal_position`,
      [schema],
    );
    expect(
      columns.map((c) => `${c.table_name}.${c.column_name} ${c.data_type}`),
    ).toEqual([
      'celery_taskmeta.id integer',
      'celery_taskmeta.task_id character varying',
      'celery_taskmeta.status character varying',
      'celery_taskmeta.result bytea',
      'celery_taskmeta.date_done timestamp without time zone',
      'celery_taskmeta.traceback text',
      'celery_taskmeta.name character varying',
      'celery_taskmeta.args bytea',
      'celery_taskmeta.kwargs bytea',
      'celery_taskmeta.worker character varying',
      'celery_taskmeta.retries integer',
      'celery_taskmeta.queue character varying',
      'celery_tasksetmeta.id integer',
      'celery_tasksetmeta.taskset_id character varying',
      'celery_tasksetmeta.result bytea',
      'celery_tasksetmeta.date_done timestamp without time zone',
    ]);
    const sequences = await sql<{ sequence_name: string }>(
      'SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = $1 ORDER BY 1',
      [schema],
    );
    expect(sequences.map((s) => s.sequence_name)).toEqual([
      'task_id_sequence',
      'taskset_id_sequence',
    ]);
  });

  it('two processes creating the tables at once do not collide', async () => {
    const other = uniqueSchema('race');
    try {
      await Promise.all([1, 2, 3].map(() => open({ schema: other }).connect()));
    } finally {
      await dropSchema(other);
    }
  });

  it('stores one row per task, the result pickled, and reads it back', async () => {
    const backend = open();
    const id = randomUUID();
    await backend.store(resultMeta(id, 'STARTED', { pid: 1 }));
    const done = resultMeta(id, 'SUCCESS', {
      total: 5,
      items: ['a', null, 1.5],
    });
    await backend.store(done);
    const rows = await sql<{
      status: string;
      result: Buffer;
      date_done: Date | null;
    }>(
      `SELECT status, result, date_done FROM ${schema}.celery_taskmeta WHERE task_id = $1`,
      [id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('SUCCESS');
    expect(readPickle(rows[0].result)).toEqual({
      total: 5,
      items: ['a', null, 1.5],
    });
    expect(rows[0].date_done).not.toBeNull();
    const read = await backend.get(id);
    expect(read).toMatchObject({
      status: 'SUCCESS',
      result: done.result,
      task_id: id,
      children: [],
    });
    expect(read!.date_done).toBe(done.date_done);
    expect(await backend.get(randomUUID())).toBeUndefined();
  });

  it('keeps a SUCCESS over a late state, and forgets a task', async () => {
    const backend = open();
    const id = randomUUID();
    await backend.store(resultMeta(id, 'SUCCESS', 1));
    await backend.store(resultMeta(id, 'STARTED', null));
    expect((await backend.get(id))?.status).toBe('SUCCESS');
    await backend.forget(id);
    expect(await backend.get(id)).toBeUndefined();
  });

  it('stores a failure in Celery’s exception form with its traceback', async () => {
    const backend = open();
    const id = randomUUID();
    const error = {
      exc_type: 'ValueError',
      exc_message: ['bad'],
      exc_module: 'builtins',
    };
    await backend.store(
      resultMeta(id, 'FAILURE', error, { traceback: 'Traceback ...' }),
    );
    expect(await backend.get(id)).toMatchObject({
      status: 'FAILURE',
      result: error,
      traceback: 'Traceback ...',
    });
  });

  it('waitForReady sees the states stored meanwhile and resolves on the ready one', async () => {
    const writer = open();
    const waiter = open();
    const id = randomUUID();
    const seen: string[] = [];
    const waiting = waiter.waitForReady(id, 10_000, (meta) =>
      seen.push(meta.status),
    );
    await sleep(150);
    await writer.store(resultMeta(id, 'PROGRESS', { done: 1 }));
    await sleep(300);
    await writer.store(resultMeta(id, 'SUCCESS', 'ok'));
    expect(await waiting).toMatchObject({ status: 'SUCCESS', result: 'ok' });
    expect(seen).toEqual(['PROGRESS', 'SUCCESS']);
  });

  it('waitForReady resolves at once with a stored result, and with undefined on timeout', async () => {
    const backend = open();
    const id = randomUUID();
    await backend.store(resultMeta(id, 'SUCCESS', 3));
    expect(await backend.waitForReady(id, 5000)).toMatchObject({ result: 3 });
    expect(await backend.waitForReady(randomUUID(), 200)).toBeUndefined();
  });

  it('many waits share one poll', async () => {
    const backend = open();
    const ids = Array.from({ length: 200 }, () => randomUUID());
    const waits = ids.map((id) => backend.waitForReady(id, 20_000));
    await Promise.all(
      ids.map((id, i) => backend.store(resultMeta(id, 'SUCCESS', i))),
    );
    expect((await Promise.all(waits)).map((meta) => meta?.result)).toEqual(
      ids.map((_, i) => i),
    );
  });

  it('cleanup deletes rows done longer ago than the expiry', async () => {
    const backend = open();
    const old = randomUUID();
    const fresh = randomUUID();
    await backend.store(
      resultMeta(old, 'SUCCESS', 1, { now: new Date(Date.now() - 7_200_000) }),
    );
    await backend.store(resultMeta(fresh, 'SUCCESS', 2));
    expect(await backend.cleanup(3600)).toBeGreaterThanOrEqual(1);
    expect(await backend.get(old)).toBeUndefined();
    expect(await backend.get(fresh)).toBeDefined();
  });

  it('refuses a URL that is not db+postgresql:// and a table name that is not an identifier', () => {
    expect(() =>
      PostgresResultBackend.fromUrl('postgresql://u:secret@h/db'),
    ).toThrow(/expected db\+postgresql:\/\/.*/);
    expect(() =>
      PostgresResultBackend.fromUrl('postgresql://u:secret@h/db'),
    ).not.toThrow(/secret/);
    expect(() => open({ task: 'tasks; DROP TABLE x' })).toThrow(
      PostgresResultError,
    );
  });

  it('reads a Python datetime in a result as its ISO text, and fails clearly on an object that is not data', async () => {
    const backend = open();
    await backend.connect();
    const insert = (id: string, hex: string) =>
      sql(
        `INSERT INTO ${schema}.celery_taskmeta (id, task_id, status, result)
         VALUES (nextval('${schema}.task_id_sequence'), $1, 'SUCCESS', $2)`,
        [id, Buffer.from(hex, 'hex')],
      );
    const dated = randomUUID();
    await insert(
      dated,
      runPython(
        "import pickle, datetime; print(pickle.dumps({'at': datetime.datetime(2026, 12, 6, 3, 4, 5, 6, tzinfo=datetime.timezone.utc)}).hex())",
      ).trim(),
    );
    expect((await backend.get(dated))?.result).toEqual({
      at: '2026-12-06T03:04:05.000006+00:00',
    });
    const odd = randomUUID();
    await insert(
      odd,
      runPython(
        'import pickle, fractions; print(pickle.dumps([fractions.Fraction(1, 3)]).hex())',
      ).trim(),
    );
    await expect(backend.get(odd)).rejects.toThrow(
      `the result of task ${odd} holds a Python fractions.Fraction, which is not plain data`,
    );
  });
});
