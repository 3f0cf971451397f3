import {
  EventDispatcher,
  taskEventType,
} from '../../../lib/events/event-dispatcher';
import { JsonFragment } from '../../../lib/protocol/event-json-writer';
import { EventMessage } from '../../../lib/transports/event-bus';
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

  describe('with a clock of its own', () => {
    const T0 = Date.UTC(2026, 11, 7, 12, 0, 0, 5);
    const started = taskEventType('task-started', ',"uuid":"');
    const end = new JsonFragment('"');
    let offsetMinutes = -120;
    beforeEach(() => {
      jest.useFakeTimers({ now: T0 });
      offsetMinutes = -120;
      jest
        .spyOn(Date.prototype, 'getTimezoneOffset')
        .mockImplementation(() => offsetMinutes);
    });
    afterEach(() => {
      jest.useRealTimers();
      jest.restoreAllMocks();
    });

    /** Every event of every message published, in order. */
    const allEvents = (published: { messages: EventMessage[] }[]) =>
      published.flatMap(({ messages }) =>
        messages.flatMap(
          (message) => message.body as Record<string, unknown>[],
        ),
      );

    it('stamps each event written piece by piece with the millisecond it was begun', async () => {
      const { bus, published } = recordingBus();
      const dispatcher = new EventDispatcher(bus, 'n@h', { warn: () => {} });
      for (const step of [0, 0, 1, 7]) {
        jest.setSystemTime(Date.now() + step);
        dispatcher
          .taskEvent(started)
          .text(`at-${Date.now() - T0}`)
          .fragment(end)
          .close();
      }
      await dispatcher.drain();
      expect(
        allEvents(published).map(
          ({ uuid, timestamp, clock, hostname, pid }) => ({
            uuid,
            timestamp,
            clock,
            hostname,
            pid,
          }),
        ),
      ).toEqual(
        [0, 0, 1, 8].map((ms, i) => ({
          uuid: `at-${ms}`,
          timestamp: (T0 + ms) / 1000,
          clock: i + 1,
          hostname: 'n@h',
          pid: process.pid,
        })),
      );
    });

    it('reads the UTC offset again after a minute, for the events written piece by piece and the others', async () => {
      const { bus, published } = recordingBus();
      const dispatcher = new EventDispatcher(bus, 'n@h', { warn: () => {} });
      const pieceByPiece = () =>
        dispatcher.taskEvent(started).text('p').fragment(end).close();
      pieceByPiece(); // offset read: 2 hours east, -2
      offsetMinutes = 60;
      jest.setSystemTime(T0 + 30_000);
      pieceByPiece(); // within the minute: still -2
      dispatcher.send('task-revoked', { uuid: 'o' });
      jest.setSystemTime(T0 + 60_001);
      dispatcher.send('task-revoked', { uuid: 'o' }); // read again: 1
      pieceByPiece();
      offsetMinutes = 0;
      jest.setSystemTime(T0 + 90_000);
      pieceByPiece(); // the minute from the last read is not over: still 1
      await dispatcher.drain();
      expect(
        allEvents(published).map(({ uuid, utcoffset }) => [uuid, utcoffset]),
      ).toEqual([
        ['p', -2],
        ['p', -2],
        ['o', -2],
        ['o', 1],
        ['p', 1],
        ['p', 1],
      ]);
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
