import { CeleryEvent, FleetState } from '../../../lib';
import { parseEvent } from '../../../lib/events/parse-event';

const event = (
  type: string,
  timestamp: number,
  fields: Record<string, unknown> = {},
): CeleryEvent =>
  ({
    type,
    hostname: 'w1@h',
    timestamp,
    utcoffset: 0,
    pid: 1,
    clock: 1,
    ...fields,
  }) as CeleryEvent;

describe('FleetState', () => {
  it('keeps workers alive while heartbeats come within twice their interval', () => {
    const state = new FleetState();
    state.apply(
      event('worker-online', 100, { freq: 2, sw_ident: 'py-celery' }),
    );
    state.apply(
      event('worker-heartbeat', 102, { freq: 2, active: 1, processed: 7 }),
    );
    expect(state.aliveWorkers(105).map((w) => w.hostname)).toEqual(['w1@h']);
    expect(state.worker('w1@h')).toMatchObject({
      active: 1,
      processed: 7,
      swIdent: 'py-celery',
    });
    expect(state.aliveWorkers(106.5)).toEqual([]);
    state.apply(event('worker-offline', 103, { freq: 2 }));
    expect(state.aliveWorkers(103.5)).toEqual([]);
  });

  it('follows a task through its states; task-sent arriving last does not move it back', () => {
    const state = new FleetState();
    state.apply(
      event('task-received', 10, { uuid: 't', name: 'add', args: '[1]' }),
    );
    state.apply(event('task-started', 10.1, { uuid: 't' }));
    state.apply(
      event('task-succeeded', 10.2, { uuid: 't', result: '2', runtime: 0.1 }),
    );
    state.apply(event('task-sent', 10.3, { uuid: 't', hostname: 'gen1@h' }));
    expect(state.task('t')).toMatchObject({
      state: 'SUCCESS',
      name: 'add',
      args: '[1]',
      result: '2',
      runtime: 0.1,
      worker: 'w1@h',
      sent: 10.3,
    });
    expect(state.tasks('SUCCESS')).toHaveLength(1);
    expect(state.countByState()).toEqual({ SUCCESS: 1 });
  });

  it('forgets the oldest tasks past maxTasks', () => {
    const state = new FleetState(2);
    for (const uuid of ['a', 'b', 'c'])
      state.apply(event('task-received', 1, { uuid }));
    expect(state.tasks().map((t) => t.uuid)).toEqual(['b', 'c']);
  });

  it('ignores a task whose uuid is over 200 characters', () => {
    const state = new FleetState();
    state.apply(event('task-received', 1, { uuid: 'x'.repeat(201) }));
    expect(state.tasks()).toEqual([]);
    state.apply(event('task-received', 1, { uuid: 'x'.repeat(200) }));
    expect(state.tasks()).toHaveLength(1);
  });

  it('keeps timestamps to the millisecond', () => {
    const state = new FleetState();
    state.apply(event('task-received', 10.0004, { uuid: 't' }));
    state.apply(event('task-started', 10.123456, { uuid: 't' }));
    expect(state.task('t')).toMatchObject({
      timestamp: 10.123,
      received: 10,
      started: 10.123,
    });
  });

  it('takes the worker of task-revoked from no one: whoever revoked it is not the worker', () => {
    const state = new FleetState();
    state.apply(event('task-received', 1, { uuid: 'ran' }));
    state.apply(event('task-revoked', 2, { uuid: 'ran', hostname: 'ctl@h' }));
    state.apply(
      event('task-revoked', 2, { uuid: 'queued', hostname: 'ctl@h' }),
    );
    expect(state.task('ran')).toMatchObject({
      state: 'REVOKED',
      worker: 'w1@h',
    });
    expect(state.task('queued')).toMatchObject({
      state: 'REVOKED',
      worker: null,
    });
  });
});

describe('parseEvent', () => {
  it('says why a body is not an event', () => {
    expect(parseEvent('x')).toBe('not a JSON object');
    expect(parseEvent({ hostname: 'h' })).toBe('no "type"');
    expect(
      parseEvent({ type: 'task-started', hostname: 'h', timestamp: 1 }),
    ).toBe('task-started has no "uuid"');
    expect(
      parseEvent({ type: 'worker-heartbeat', hostname: 'h', timestamp: 1 }),
    ).toEqual({ type: 'worker-heartbeat', hostname: 'h', timestamp: 1 });
  });
});
