import {
  buildTaskMessage,
  dateDoneFormOf,
  inCeleryForm,
  parseTaskMessage,
  resultMeta,
} from '../../../lib/protocol';

describe('results in the form of a Celery version', () => {
  const now = new Date('2026-12-05T10:00:00.123Z');
  const request = parseTaskMessage(
    buildTaskMessage({
      name: 'nest.add',
      id: 'f00d',
      args: [2, 3],
      kwargs: { c: 1 },
      origin: 'tests',
      retries: 2,
    }),
  );
  const done = resultMeta('f00d', 'SUCCESS', 5, { now, parentId: 'p' });

  it('date_done: naive UTC up to Celery 5.3, with +00:00 from 5.4', () => {
    expect(['5.2', '5.2.6', '5.3'].map(dateDoneFormOf)).toEqual([
      'naive-utc',
      'naive-utc',
      'naive-utc',
    ]);
    expect(['5.4', '5.5.1', '5.6'].map(dateDoneFormOf)).toEqual([
      'aware-utc',
      'aware-utc',
      'aware-utc',
    ]);
    expect(() => dateDoneFormOf('latest')).toThrow(/celeryVersion/);
    expect(inCeleryForm(done, 'naive-utc').date_done).toBe(
      '2026-12-05T10:00:00.123000',
    );
    expect(inCeleryForm(done, 'aware-utc')).toBe(done);
    const pending = resultMeta('f00d', 'STARTED', null);
    expect(inCeleryForm(pending, 'naive-utc').date_done).toBeNull();
  });

  it("extended: Celery's result_extended fields after parent_id, task_id last", () => {
    const meta = inCeleryForm(done, 'naive-utc', request, {
      worker: 'celeriac@host',
      queue: 'jobs',
    });
    expect(Object.keys(meta)).toEqual([
      'status',
      'result',
      'traceback',
      'children',
      'date_done',
      'parent_id',
      'name',
      'args',
      'kwargs',
      'worker',
      'retries',
      'queue',
      'task_id',
    ]);
    expect(meta).toMatchObject({
      name: 'nest.add',
      args: [2, 3],
      kwargs: { c: 1 },
      worker: 'celeriac@host',
      retries: 2,
      queue: 'jobs',
      task_id: 'f00d',
    });
  });
});
