import { EventDispatcher } from '../../../lib/events/event-dispatcher';
import { TaskEventObserver } from '../../../lib/events/task-event-observer';
import {
  buildTaskMessage,
  parseTaskMessage,
  safeRepr,
} from '../../../lib/protocol';
import { recordingEventBus } from '../../support/recording-event-bus';

function recorded() {
  const { bus, published } = recordingEventBus();
  const dispatcher = new EventDispatcher(bus, 'celeriac@h"ost', {
    warn: () => {},
  });
  return {
    messages: () => published.flatMap((p) => p.messages),
    dispatcher,
    observer: new TaskEventObserver(dispatcher),
  };
}

describe('TaskEventObserver', () => {
  it("sends Celery's task events with their fields, absent headers null", async () => {
    const { messages, dispatcher, observer } = recorded();
    const awkward = 'quote " backslash \\ newline \n é \u2028 \u0000';
    const request = parseTaskMessage(
      buildTaskMessage({
        name: 'tests.ev"ents',
        id: 'id-1',
        args: [awkward],
        kwargs: { k: 1 },
        origin: 'tests',
      }),
    );
    // A message from elsewhere may lack a header Celeriac always writes.
    const headers: Partial<typeof request.message.headers> =
      request.message.headers;
    delete headers.eta;
    observer.received(request);
    observer.started(request);
    observer.finished(request, { kind: 'success', value: awkward }, 1500);
    observer.finished(request, { kind: 'success', value: undefined }, 2);
    await dispatcher.drain();
    expect(messages().map((m) => m.routingKey)).toEqual(['task.multi']);
    // What the broker carries: the body as JSON, read back.
    const events = JSON.parse(JSON.stringify(messages()[0].body)) as Record<
      string,
      unknown
    >[];
    expect(events.map((e) => e.type)).toEqual([
      'task-received',
      'task-started',
      'task-succeeded',
      'task-succeeded',
    ]);
    expect(events[0]).toMatchObject({
      uuid: 'id-1',
      name: 'tests.ev"ents',
      kwargs: "{'k': 1}",
      root_id: 'id-1',
      parent_id: null,
      retries: 0,
      eta: null,
      expires: null,
      hostname: 'celeriac@h"ost',
      pid: process.pid,
      clock: 1,
    });
    expect(events[0].args).toBe(request.message.headers.argsrepr);
    expect(events[1]).toEqual({
      uuid: 'id-1',
      type: 'task-started',
      hostname: 'celeriac@h"ost',
      utcoffset: expect.any(Number) as unknown,
      pid: process.pid,
      clock: 2,
      timestamp: expect.any(Number) as unknown,
    });
    expect(events[2]).toMatchObject({ runtime: 1.5, clock: 3 });
    expect(events[2].result).toBe(safeRepr(awkward));
    expect(events[3]).toMatchObject({ result: 'None', runtime: 0.002 });
    expect(
      Math.abs((events[3].timestamp as number) - Date.now() / 1000),
    ).toBeLessThan(60);
  });

  it("task-received tells a retried child task's parent, retries, eta and expires", async () => {
    const { messages, dispatcher, observer } = recorded();
    const eta = new Date('2026-12-07T10:00:00.000Z');
    const expires = new Date('2026-12-07T11:00:00.000Z');
    const request = parseTaskMessage(
      buildTaskMessage({
        name: 'tests.child',
        id: 'id-2',
        args: [],
        kwargs: {},
        origin: 'tests',
        parentId: 'parent-1',
        rootId: 'root-1',
        retries: 2,
        eta,
        expires,
      }),
    );
    observer.received(request);
    await dispatcher.drain();
    const [event] = messages()[0].body as Record<string, unknown>[];
    expect(event).toMatchObject({
      type: 'task-received',
      uuid: 'id-2',
      root_id: 'root-1',
      parent_id: 'parent-1',
      retries: 2,
      eta: request.message.headers.eta,
      expires: request.message.headers.expires,
    });
    expect(event.eta).toEqual(expect.stringContaining('2026-12-07T10:00:00'));
  });

  it('a result whose repr throws costs its own event only: the list stays whole', async () => {
    const { messages, dispatcher, observer } = recorded();
    const request = parseTaskMessage(
      buildTaskMessage({
        name: 't',
        id: 'id-3',
        args: [],
        kwargs: {},
        origin: 'tests',
      }),
    );
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke(); // every repr of it throws, even Object.prototype.toString
    observer.received(request);
    expect(() =>
      observer.finished(request, { kind: 'success', value: proxy }, 1),
    ).toThrow(TypeError);
    observer.started(request);
    await dispatcher.drain();
    const events = messages()[0].body as Record<string, unknown>[];
    expect(events.map((event) => event.type)).toEqual([
      'task-received',
      'task-started',
    ]);
  });

  it('a worker event without fields is still a complete event', async () => {
    const { messages, dispatcher } = recorded();
    dispatcher.send('worker-offline');
    await dispatcher.drain();
    expect(messages()[0].body).toMatchObject({
      type: 'worker-offline',
      hostname: 'celeriac@h"ost',
      clock: 1,
    });
  });
});
