import { Logger } from '@nestjs/common';
import { TaskLifecycle } from '../../../lib/lifecycle/task-lifecycle.service';
import { RunEnd, TaskObserver } from '../../../lib/lifecycle/task-observer';
import { TaskMessage, TaskRequest } from '../../../lib/protocol';

/** The hooks TaskLifecycle calls on each observer (aroundRun wraps instead). */
type Hook = Exclude<keyof TaskObserver, 'aroundRun'>;

const request = { id: 'id-1', name: 'unit.task' } as TaskRequest;
const message = { headers: { id: 'id-1' } } as unknown as TaskMessage;
const parent = { id: 'id-0', name: 'unit.parent' } as TaskRequest;
const down = new Error('down');
const end: RunEnd = { kind: 'success', value: 1 };

/**
 * Each hook with the arguments it is called with here; a hook TaskObserver gains
 * without a row here fails to compile.
 */
const CALLS: { [hook in Hook]: (lifecycle: TaskLifecycle) => unknown[] } = {
  beforeSend: (l) => (
    l.beforeSend(message, 'q', parent),
    [message, 'q', parent]
  ),
  sent: (l) => (l.sent(message, 'q'), [message, 'q']),
  sendFailed: (l) => (l.sendFailed(message, 'q', down), [message, 'q', down]),
  received: (l) => (l.received(request, 'q'), [request, 'q']),
  rejected: (l) => (l.rejected(request, 'q', 'why'), [request, 'q', 'why']),
  deadLettered: (l) => (
    l.deadLettered(request, 'q', 'dead'),
    [request, 'q', 'dead']
  ),
  revoked: (l) => (l.revoked(request, 'expired'), [request, 'expired']),
  started: (l) => (l.started(request, 'q'), [request, 'q']),
  finished: (l) => (l.finished(request, end, 2.5), [request, end, 2.5]),
  beatTick: (l) => (
    l.beatTick('every-minute', 'sent'),
    ['every-minute', 'sent']
  ),
};
const HOOKS = Object.keys(CALLS) as Hook[];

describe('TaskLifecycle', () => {
  afterEach(() => jest.restoreAllMocks());

  it('tells every observer of every hook with its arguments, past one that throws in each, which is logged once', () => {
    const errors = jest
      .spyOn(Logger.prototype, 'error')
      .mockImplementation(() => undefined);
    const lifecycle = new TaskLifecycle();
    const failing: TaskObserver = Object.fromEntries(
      HOOKS.map((hook) => [
        hook,
        () => {
          throw new Error(`${hook} bug`);
        },
      ]),
    );
    const heard: unknown[][] = [];
    const listening: TaskObserver = Object.fromEntries(
      HOOKS.map((hook) => [
        hook,
        (...args: unknown[]) => heard.push([hook, ...args]),
      ]),
    );
    lifecycle.observe(failing);
    lifecycle.observe(listening);

    const told: unknown[][] = [];
    for (let round = 0; round < 2; round++)
      for (const hook of HOOKS)
        expect(() =>
          told.push([hook, ...CALLS[hook](lifecycle)]),
        ).not.toThrow();

    expect(heard).toEqual(told);
    expect(told).toHaveLength(2 * HOOKS.length);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(String(errors.mock.calls[0][0])).toMatch(
      /A task observer failed \(logged once, then ignored\): Error: beforeSend bug/,
    );
  });

  it('logs the first throw of each observer', () => {
    const errors = jest
      .spyOn(Logger.prototype, 'error')
      .mockImplementation(() => undefined);
    const lifecycle = new TaskLifecycle();
    for (const hook of HOOKS)
      lifecycle.observe({
        [hook]: () => {
          throw new Error(`${hook} bug`);
        },
      });
    for (const hook of HOOKS) {
      CALLS[hook](lifecycle);
      CALLS[hook](lifecycle);
    }
    expect(errors.mock.calls.map(([line]) => String(line))).toEqual(
      HOOKS.map(
        (hook) =>
          `A task observer failed (logged once, then ignored): Error: ${hook} bug`,
      ),
    );
  });

  it('stops telling an observer once its handle removes it', () => {
    const lifecycle = new TaskLifecycle();
    const heard: string[] = [];
    const remove = lifecycle.observe({ started: () => heard.push('started') });
    lifecycle.started(request, 'q');
    remove();
    lifecycle.started(request, 'q');
    expect(heard).toEqual(['started']);
  });
});
