import {
  EventDispatcher,
  taskEventType,
} from '../../../lib/events/event-dispatcher';
import { JsonFragment } from '../../../lib/protocol/event-json-writer';
import { recordingEventBus } from '../../support/recording-event-bus';

const anyNumber: unknown = expect.any(Number);
const recordingBus = recordingEventBus;

const flushed = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('EventDispatcher', () => {
  it("sends the task events of 10 ms as one task.multi list, in order, with Celery's fields", async () => {
    const { bus, published } = recordingBus();
    const warnings: string[] = [];
    const dispatcher = new EventDispatcher(bus, 'celeriac@h', {
      warn: (line) => warnings.push(line),
    });
    for (let i = 0; i < 3; i++)
      dispatcher.send('task-received', { uuid: `id-${i}` });
    expect(published).toEqual([]);
    await flushed();
    expect(published).toHaveLength(1);
    const [{ messages, hostname }] = published;
    expect(hostname).toBe('celeriac@h');
    expect(messages).toHaveLength(1);
    expect(messages[0].routingKey).toBe('task.multi');
    const events = messages[0].body as Record<string, unknown>[];
    expect(events.map((event) => event.uuid)).toEqual(['id-0', 'id-1', 'id-2']);
    expect(events[0]).toEqual({
      type: 'task-received',
      uuid: 'id-0',
      hostname: 'celeriac@h',
      pid: process.pid,
      clock: 1,
      utcoffset: anyNumber,
      timestamp: anyNumber,
    });
    expect(events.map((event) => event.clock)).toEqual([1, 2, 3]);
    expect(warnings).toEqual([]);
  });

  it('writes every field of a task event written piece by piece after one sent as an object', async () => {
    const { bus, published } = recordingBus();
    const dispatcher = new EventDispatcher(bus, 'n@h', { warn: () => {} });
    dispatcher.send('task-revoked', { uuid: 'a' });
    dispatcher
      .taskEvent(taskEventType('task-started', ',"uuid":"'))
      .text('b')
      .fragment(new JsonFragment('"'))
      .close();
    await dispatcher.drain();
    const events = published[0].messages[0].body as Record<string, unknown>[];
    expect(events[1]).toEqual({
      type: 'task-started',
      uuid: 'b',
      hostname: 'n@h',
      pid: process.pid,
      clock: 2,
      utcoffset: events[0].utcoffset,
      timestamp: anyNumber,
    });
  });

  it('stamps each event written piece by piece with the time it was begun, not the first of its list', async () => {
    const { bus, published } = recordingBus();
    const dispatcher = new EventDispatcher(bus, 'n@h', { warn: () => {} });
    const started = taskEventType('task-started', ',"uuid":"');
    const spans: { before: number; after: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const before = Date.now();
      dispatcher
        .taskEvent(started)
        .text(`id-${i}`)
        .fragment(new JsonFragment('"'))
        .close();
      spans.push({ before, after: Date.now() });
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    await dispatcher.drain();
    const events = published[0].messages[0].body as Record<string, unknown>[];
    expect(events.map((event) => event.clock)).toEqual([1, 2, 3]);
    events.forEach((event, i) => {
      const ms = (event.timestamp as number) * 1000;
      expect(ms).toBeGreaterThanOrEqual(spans[i].before);
      expect(ms).toBeLessThanOrEqual(spans[i].after);
      expect(event.hostname).toBe('n@h');
      expect(event.pid).toBe(process.pid);
    });
  });

  it('drops a task event JSON cannot write, logged once, and sends the others', async () => {
    const { bus, published } = recordingBus();
    const warnings: string[] = [];
    const dispatcher = new EventDispatcher(bus, 'n@h', {
      warn: (line) => warnings.push(line),
    });
    expect(() => {
      dispatcher.send('task-failed', { uuid: 'a', big: 1n });
      dispatcher.send('task-failed', { uuid: 'b', big: 2n });
    }).not.toThrow();
    await dispatcher.drain();
    expect(published).toEqual([]); // no empty task.multi
    dispatcher.send('task-started', { uuid: 'c' });
    await dispatcher.drain();
    const events = published[0].messages[0].body as Record<string, unknown>[];
    expect(events.map((event) => event.uuid)).toEqual(['c']);
    expect(warnings).toEqual([
      expect.stringMatching(/task-failed event .*BigInt/) as unknown,
    ]);
  });

  it('sends worker events at once, under their type with dots', () => {
    const { bus, published } = recordingBus();
    const dispatcher = new EventDispatcher(bus, 'n@h', { warn: () => {} });
    dispatcher.send('worker-heartbeat', { freq: 2 });
    expect(published).toHaveLength(1);
    expect(published[0].messages[0]).toMatchObject({
      routingKey: 'worker.heartbeat',
      body: { type: 'worker-heartbeat', freq: 2, hostname: 'n@h' },
    });
  });

  it('splits a large batch into lists of at most 200, published together', async () => {
    const { bus, published } = recordingBus();
    const dispatcher = new EventDispatcher(bus, 'n@h', { warn: () => {} });
    for (let i = 0; i < 450; i++)
      dispatcher.send('task-started', { uuid: `${i}` });
    await flushed();
    expect(published).toHaveLength(1);
    expect(
      published[0].messages.map((m) => (m.body as unknown[]).length),
    ).toEqual([200, 200, 50]);
  });

  it('drops events the broker does not take, and says so once until it takes them again', async () => {
    const { bus } = recordingBus(true);
    const warnings: string[] = [];
    const dispatcher = new EventDispatcher(bus, 'n@h', {
      warn: (line) => warnings.push(line),
    });
    dispatcher.send('worker-heartbeat');
    dispatcher.send('worker-heartbeat');
    await dispatcher.drain();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('down');
  });
});
