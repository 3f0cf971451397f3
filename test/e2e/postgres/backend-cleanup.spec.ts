import { Injectable } from '@nestjs/common';
import {
  ScheduleRegistry,
  Task,
  TaskClient,
  TaskQueueModuleOptions,
} from '../../../lib';
import { deleteKeys, REDIS_URL } from '../../support/redis-keys';
import { runPython } from '../../support/run-python';
import { TestApps } from '../../support/test-apps';
import { uniqueName, waitUntil } from '../../support/wait';
import {
  POSTGRES_URL,
  dropSchema,
  sql,
  uniqueSchema,
} from '../../support/postgres';

@Injectable()
class CleanupTasks {
  @Task('cleanup.echo')
  echo(n: number): number {
    return n;
  }
}

/**
 * Celery's `celery.backend_cleanup` on the database backend: a Nest worker runs it
 * (sent by Nest or by a Python beat), deleting the rows older than `resultExpires`; a
 * Nest beat schedules it daily at 4:00, as Celery's beat does, when the backend needs it.
 */
describe('postgres results: celery.backend_cleanup', () => {
  const schema = uniqueSchema('cleanup');
  const keyPrefix = `${uniqueName('pg-cleanup')}:`;
  const queue = uniqueName('pg-cleanup-q');
  const apps = new TestApps();
  const module = (
    options: TaskQueueModuleOptions = {},
  ): TaskQueueModuleOptions => ({
    broker: REDIS_URL,
    brokerOptions: { keyPrefix },
    backend: POSTGRES_URL,
    backendOptions: { schema, pollIntervalMs: 50 },
    defaultQueue: queue,
    resultExpires: '1h',
    ...options,
  });

  afterEach(() => apps.close());

  afterAll(async () => {
    await dropSchema(schema);
    await deleteKeys(keyPrefix);
  });

  /** Stores a result per `n`, then dates the rows of `old` two hours back. */
  async function rows(fresh: number[], old: number[]): Promise<void> {
    const client = (
      await apps.open(module({ worker: { queues: [queue] } }), {
        providers: [CleanupTasks],
        logger: false,
      })
    ).get(TaskClient);
    const ids = new Map<number, string>();
    for (const n of [...fresh, ...old]) {
      const result = await client.send<number>('cleanup.echo', [n], {
        taskId: `${schema}-${n}`,
      });
      expect(await result.get({ timeout: 10 })).toBe(n);
      ids.set(n, result.id);
    }
    await sql(
      `UPDATE ${schema}.celery_taskmeta SET date_done = date_done - interval '2 hours'
       WHERE task_id = ANY($1::text[])`,
      [old.map((n) => ids.get(n))],
    );
    await apps.close();
  }

  async function taskIds(): Promise<string[]> {
    const found = await sql<{ task_id: string }>(
      `SELECT task_id FROM ${schema}.celery_taskmeta WHERE task_id LIKE $1 ORDER BY task_id`,
      [`${schema}-%`],
    );
    return found.map((row) => row.task_id);
  }

  it('a Nest worker runs it: rows older than resultExpires go, newer ones stay (groups too)', async () => {
    await rows([1, 2], [3, 4]);
    await sql(
      `INSERT INTO ${schema}.celery_tasksetmeta (id, taskset_id, result, date_done) VALUES
         (nextval('${schema}.taskset_id_sequence'), 'old-group', '\\x80044e2e', (now() AT TIME ZONE 'UTC') - interval '2 hours'),
         (nextval('${schema}.taskset_id_sequence'), 'new-group', '\\x80044e2e', now() AT TIME ZONE 'UTC')`,
    );
    const client = (
      await apps.open(module({ worker: { queues: [queue] } }), {
        logger: false,
      })
    ).get(TaskClient);
    const cleanup = await client.send('celery.backend_cleanup');
    expect(await cleanup.get({ timeout: 10 })).toBeNull();
    expect(await taskIds()).toEqual([`${schema}-1`, `${schema}-2`]);
    const groups = await sql<{ taskset_id: string }>(
      `SELECT taskset_id FROM ${schema}.celery_tasksetmeta`,
    );
    expect(groups.map((row) => row.taskset_id)).toEqual(['new-group']);
  });

  it("runs it when Python's beat sends it (as Celery's default entry does)", async () => {
    await rows([5], [6]);
    await apps.open(module({ worker: { queues: [queue] } }), {
      logger: false,
    });
    runPython(
      `from celery import Celery
app = Celery(broker=${JSON.stringify(REDIS_URL)})
app.conf.broker_transport_options = {'global_keyprefix': ${JSON.stringify(keyPrefix)}}
app.send_task('celery.backend_cleanup', queue=${JSON.stringify(queue)}, expires=12 * 3600)`,
    );
    await waitUntil(
      async () => !(await taskIds()).includes(`${schema}-6`),
      15_000,
      'the Nest worker to run the cleanup Python sent',
    );
    expect(await taskIds()).toContain(`${schema}-5`);
  });

  it('resultExpires 0 keeps every row', async () => {
    await rows([7], [8]);
    const client = (
      await apps.open(
        module({ worker: { queues: [queue] }, resultExpires: 0 }),
        { logger: false },
      )
    ).get(TaskClient);
    const cleanup = await client.send('celery.backend_cleanup');
    expect(await cleanup.get({ timeout: 10 })).toBeNull();
    expect(await taskIds()).toEqual(
      expect.arrayContaining([`${schema}-7`, `${schema}-8`]),
    );
  });

  it("beat installs Celery's default entry: daily at 4:00 UTC, only when results expire on a backend that needs it", async () => {
    const beat = { lockUrl: 'memory://', keyPrefix: `${keyPrefix}beat:` };
    const withCleanup = await apps.open(module({ beat }), { logger: false });
    const schedule = await withCleanup
      .get(ScheduleRegistry)
      .getSchedule('celery.backend_cleanup');
    expect(schedule).toMatchObject({
      task: 'celery.backend_cleanup',
      kind: 'cron',
    });
    expect(schedule.description).toBe('cron "0 4 * * *" in UTC');
    await apps.close();

    const forever = await apps.open(module({ beat, resultExpires: 0 }), {
      logger: false,
    });
    expect(
      forever.get(ScheduleRegistry).doesExist('celery.backend_cleanup'),
    ).toBe(false);
    await apps.close();

    const onRedis = await apps.open(
      module({
        beat,
        backend: `${REDIS_URL}/1`,
        backendOptions: { keyPrefix },
      }),
      { logger: false },
    );
    expect(
      onRedis.get(ScheduleRegistry).doesExist('celery.backend_cleanup'),
    ).toBe(false);
  });
});
