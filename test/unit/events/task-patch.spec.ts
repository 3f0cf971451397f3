import { taskPatch } from '../../../lib/events/task-patch';

describe('taskPatch', () => {
  it('keeps task events only, with a string uuid and a numeric timestamp', () => {
    expect(
      taskPatch({ type: 'worker-heartbeat', hostname: 'a', timestamp: 1 }),
    ).toBeNull();
    expect(
      taskPatch({ type: 'task-started', uuid: 5, timestamp: 1 }),
    ).toBeNull();
    expect(
      taskPatch({ type: 'task-started', uuid: 'x', timestamp: 'now' }),
    ).toBeNull();
    expect(
      taskPatch({ type: 'task-custom', uuid: 'x', timestamp: 1 }),
    ).toBeNull();
    expect(
      taskPatch({
        type: 'task-sent',
        uuid: 'x',
        timestamp: 1,
        hostname: 'gen1@w',
        name: 7,
      }),
    ).toMatchObject({ worker: null, state: 'PENDING', text: {} });
  });

  it('ignores a uuid over 200 characters', () => {
    const at = { type: 'task-started', timestamp: 1 };
    expect(taskPatch({ ...at, uuid: 'x'.repeat(201) })).toBeNull();
    expect(taskPatch({ ...at, uuid: '' })).toBeNull();
    expect(taskPatch({ ...at, uuid: 'x'.repeat(200) })).not.toBeNull();
  });

  it('rounds the timestamp to the millisecond', () => {
    expect(
      taskPatch({ type: 'task-started', uuid: 'x', timestamp: 10.123456 })?.at,
    ).toBe(10.123);
  });

  it('takes the worker from a worker’s events only, not task-sent or task-revoked', () => {
    const from = (type: string) =>
      taskPatch({ type, uuid: 'x', timestamp: 1, hostname: 'h@w' })?.worker;
    expect(from('task-received')).toBe('h@w');
    expect(from('task-failed')).toBe('h@w');
    expect(from('task-sent')).toBeNull();
    expect(from('task-revoked')).toBeNull();
  });

  it('cuts text fields at maxText and keeps finite numbers only', () => {
    expect(
      taskPatch(
        {
          type: 'task-succeeded',
          uuid: 'x',
          timestamp: 1,
          result: 'abcdef',
          runtime: 0.5,
          retries: Number.NaN,
        },
        3,
      ),
    ).toMatchObject({ text: { result: 'abc' }, numbers: { runtime: 0.5 } });
  });
});
