import { Logger } from '@nestjs/common';
import { TaskLifecycle } from '../../../lib/lifecycle/task-lifecycle.service';
import { TaskObserver } from '../../../lib/lifecycle/task-observer';
import { TaskMessage, TaskRequest } from '../../../lib/protocol';

const request = { id: 'id-1', name: 'unit.task' } as TaskRequest;
const message = { headers: { id: 'id-1' } } as unknown as TaskMessage;

/** Calls every hook of the lifecycle once. */
function everyHook(lifecycle: TaskLifecycle): void {
  lifecycle.beforeSend(message, 'q');
  lifecycle.sent(message, 'q');
  lifecycle.sendFailed(message, 'q', new Error('down'));
  lifecycle.received(request, 'q');
  lifecycle.rejected(request, 'q', 'why');
  lifecycle.deadLettered(request, 'q', 'why');
  lifecycle.revoked(request, 'revoked');
  lifecycle.started(request, 'q');
  lifecycle.finished(request, { kind: 'success', value: 1 }, 2);
  lifecycle.beatTick('every-minute', 'sent');
}

const HOOKS = [
  'beforeSend',
  'sent',
  'sendFailed',
  'received',
  'rejected',
  'deadLettered',
  'revoked',
  'started',
  'finished',
  'beatTick',
] as const;

describe('TaskLifecycle', () => {
  afterEach(() => jest.restoreAllMocks());

  it('tells every observer of every hook, past one that throws in each, which is logged once', () => {
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
    const heard: string[] = [];
    const listening: TaskObserver = Object.fromEntries(
      HOOKS.map((hook) => [hook, () => heard.push(hook)]),
    );
    lifecycle.observe(failing);
    lifecycle.observe(listening);

    expect(() => everyHook(lifecycle)).not.toThrow();
    everyHook(lifecycle);

    expect(heard).toEqual([...HOOKS, ...HOOKS]);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(String(errors.mock.calls[0][0])).toMatch(
      /A task observer failed \(logged once, then ignored\): Error: beforeSend bug/,
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
