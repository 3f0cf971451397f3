import {
  PROPAGATE_STATES,
  READY_STATES,
  ResultMeta,
  TaskState,
  isExceptionInfo,
  isReady,
  parseCeleryIso,
  parseJson,
  resultMeta,
} from '../../../lib/protocol';
import { readFixture } from '../../support/celery-fixtures';

const captured = (name: string) =>
  readFixture<ResultMeta>(`celery-5.2/result-meta-${name}.json`);

describe('resultMeta', () => {
  const now = new Date('2026-11-22T02:39:25.965Z');

  it('has the captured SUCCESS meta keys, in the same order', () => {
    const success = captured('success');
    const meta = resultMeta(success.task_id, 'SUCCESS', 5, { now });
    expect(Object.keys(meta)).toEqual(Object.keys(success));
    expect(meta).toEqual({
      ...success,
      date_done: '2026-11-22T02:39:25.965000+00:00',
    });
  });

  it('writes date_done as Celery 5.5 does (+00:00), which reads back as the same instant as the 5.2 naive form', () => {
    const meta = resultMeta('id', 'SUCCESS', 5, { now });
    expect(parseCeleryIso(meta.date_done!)).toEqual(now);
    expect(parseCeleryIso(captured('success').date_done!)).toEqual(
      new Date('2026-11-22T02:39:25.965Z'),
    );
  });

  it('matches the captured FAILURE meta', () => {
    const failure = captured('failure');
    const meta = resultMeta(failure.task_id, 'FAILURE', failure.result, {
      traceback: failure.traceback,
      now,
    });
    expect(Object.keys(meta)).toEqual(Object.keys(failure));
    expect(meta.result).toEqual({
      exc_type: 'ValueError',
      exc_message: ['boom'],
      exc_module: 'builtins',
    });
  });

  it('writes parent_id just before task_id, as the captured chain child', () => {
    const child = captured('chain-child');
    const meta = resultMeta(child.task_id, 'SUCCESS', 10, {
      parentId: child.parent_id,
      now,
    });
    expect(Object.keys(meta)).toEqual(Object.keys(child));
    expect(meta.parent_id).toBe('d6644261-ba31-44c1-af14-45f705e81228');
  });

  it('writes group_id just before task_id, as the captured group member', () => {
    const member = captured('group-member');
    const meta = resultMeta(member.task_id, 'SUCCESS', 2, {
      groupId: member.group_id,
      now,
    });
    expect(Object.keys(meta)).toEqual(Object.keys(member));
  });

  it('writes group_id before parent_id when both are set, as _get_result_meta does', () => {
    const meta = resultMeta('t', 'SUCCESS', 1, { groupId: 'g', parentId: 'p' });
    expect(Object.keys(meta)).toEqual([
      'status',
      'result',
      'traceback',
      'children',
      'date_done',
      'group_id',
      'parent_id',
      'task_id',
    ]);
  });

  it('carries children result tuples, as the captured chain parent', () => {
    const parent = captured('chain-parent');
    const meta = resultMeta(parent.task_id, 'SUCCESS', 3, {
      children: [[['d6644261-ba31-44c1-af14-45f705e81228', null], null]],
      now,
    });
    expect(meta.children).toEqual(parent.children);
    expect(Object.keys(meta)).toEqual(Object.keys(parent));
  });

  it.each<TaskState>(['STARTED', 'RETRY', 'PROGRESS', 'RECEIVED', 'PENDING'])(
    'leaves date_done null for %s, which is not a ready state',
    (state) => {
      expect(resultMeta('t', state, null, { now }).date_done).toBeNull();
    },
  );

  it.each<TaskState>(['SUCCESS', 'FAILURE', 'REVOKED'])(
    'sets date_done for the ready state %s',
    (state) => {
      expect(resultMeta('t', state, null, { now }).date_done).toBe(
        '2026-11-22T02:39:25.965000+00:00',
      );
    },
  );

  it('serializes to JSON that parses back to the same meta', () => {
    const meta = resultMeta('t', 'SUCCESS', { a: [1, 'x'] }, { now });
    expect(parseJson(JSON.stringify(meta))).toEqual(meta);
  });
});

describe('captured metas', () => {
  it.each(['success', 'chain-parent', 'chain-child', 'group-member'])(
    'reads the %s meta as ready and not an exception',
    (name) => {
      const meta = captured(name);
      expect(isReady(meta.status)).toBe(true);
      expect(PROPAGATE_STATES.has(meta.status)).toBe(false);
      expect(isExceptionInfo(meta.result)).toBe(false);
    },
  );

  it.each(['failure', 'not-registered'])(
    'reads the %s meta as ready, propagating, with exception info',
    (name) => {
      const meta = captured(name);
      expect(READY_STATES.has(meta.status)).toBe(true);
      expect(PROPAGATE_STATES.has(meta.status)).toBe(true);
      expect(isExceptionInfo(meta.result)).toBe(true);
    },
  );

  it('reads the rpc:// reply body: the meta without date_done', () => {
    const reply = readFixture<{ body: string }>(
      'celery-5.2/amqp-rpc-reply.json',
    );
    const meta = parseJson(reply.body) as Record<string, unknown>;
    expect(Object.keys(meta)).toEqual([
      'task_id',
      'status',
      'result',
      'traceback',
      'children',
    ]);
    expect(meta).toMatchObject({ status: 'SUCCESS', result: 5 });
  });
});
