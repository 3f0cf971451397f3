import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';
import { TestingModule } from '@nestjs/testing';
import {
  CeleryEvent,
  FleetState,
  Task,
  TaskClient,
  TaskEvents,
  ofTask,
} from '../../lib';
import { EVENT_BUS } from '../../lib/options/tokens';
import { EventBus } from '../../lib/transports/event-bus';
import { uniqueName, waitUntil } from '../support/wait';
import { BROKERS, interopBroker } from './support/brokers';
import { CollectingLogger } from '../support/collecting-logger';
import { nestApp } from './support/nest-app';
import { CeleryWorker, PythonEventReceiver, celeryCli } from './support/python';

const anyNumber: unknown = expect.any(Number);
const anyString: unknown = expect.any(String);
const containing = (text: string): unknown => expect.stringContaining(text);

class ValueError extends Error {
  override name = 'ValueError';
}

@Injectable()
class EventTasks {
  @Task('events.add')
  add(a: number, b: number): number {
    return a + b;
  }

  @Task('events.fail')
  fail(): never {
    throw new ValueError('bad input');
  }
}

// Three Celery CLI calls and a Python worker's start take long on a busy host.
jest.setTimeout(90_000);

/**
 * Celery's events to and from Celeriac, against the real thing: Celery's own
 * EventReceiver hears a Nest worker; TaskEvents hears a Python worker (`-E`); the
 * Celery CLI switches a Nest worker's task events.
 */
describe.each(BROKERS)('interop on $label: Celery events', (setup) => {
  const broker = interopBroker(setup, 'ev');
  const queue = broker.queue('ev');
  const quietQueue = broker.queue('ev-quiet');
  const pythonQueue = broker.queue('ev-py');
  const config = broker.celeryConfig();
  const node = `${uniqueName('nest-ev')}@${hostname()}`;
  const quietNode = `${uniqueName('nest-quiet')}@${hostname()}`;
  const origin = `gen${process.pid}@${hostname()}`;
  const logs = new CollectingLogger();
  let receiver: PythonEventReceiver;
  let app: TestingModule;
  let client: TaskClient;

  const send = async (
    name: string,
    args: unknown[],
    to: string,
    taskId?: string,
  ) => {
    const result = await client.send(name, args, { queue: to, taskId });
    broker.sent.add(result.id);
    return result;
  };
  const heard = (type: string, fields: Record<string, unknown>) =>
    receiver.waitFor(
      (event) =>
        event.type === type &&
        Object.entries(fields).every(([key, value]) => event[key] === value),
    );

  beforeAll(async () => {
    receiver = await PythonEventReceiver.start(config);
    app = await nestApp(
      broker.nestOptions({
        events: { sent: true },
        worker: { queues: [queue], concurrency: 4, nodeName: node },
      }),
      [EventTasks],
      logs,
    );
    client = app.get(TaskClient);
  });

  afterAll(() => broker.cleanup());

  it("Celery's EventReceiver hears worker-online and 2 s heartbeats from a Nest worker", async () => {
    const online = await heard('worker-online', { hostname: node });
    expect(online).toMatchObject({
      pid: process.pid,
      sw_ident: 'celeriac',
      sw_sys: anyString,
      sw_ver: anyString,
      freq: 2,
    });
    const beat = await heard('worker-heartbeat', { hostname: node, freq: 2 });
    expect(beat).toMatchObject({
      active: anyNumber,
      processed: anyNumber,
      loadavg: [anyNumber, anyNumber, anyNumber],
      utcoffset: anyNumber,
      clock: anyNumber,
    });
    expect(
      Math.abs((beat.timestamp as number) - Date.now() / 1000),
    ).toBeLessThan(60);
  });

  it('it hears task-sent, task-received, task-started and task-succeeded for a Nest task', async () => {
    const result = await send('events.add', [2, 3], queue);
    expect(await result.get({ timeout: 20 })).toBe(5);
    const uuid = result.id;
    expect(await heard('task-sent', { uuid })).toMatchObject({
      hostname: origin,
      name: 'events.add',
      queue,
      routing_key: queue,
    });
    expect(await heard('task-received', { uuid })).toMatchObject({
      hostname: node,
      name: 'events.add',
      args: containing('2, 3'),
      retries: 0,
    });
    await heard('task-started', { uuid, hostname: node });
    const succeeded = await heard('task-succeeded', { uuid });
    expect(succeeded).toMatchObject({ hostname: node, result: '5' });
    expect(typeof succeeded.runtime).toBe('number');
  });

  it('task-failed carries the exception as Python writes it and the traceback', async () => {
    const result = await send('events.fail', [], queue);
    await expect(result.get({ timeout: 20 })).rejects.toThrow('bad input');
    const failed = await heard('task-failed', { uuid: result.id });
    expect(failed).toMatchObject({
      hostname: node,
      exception: "ValueError('bad input')",
      traceback: containing('bad input'),
    });
  });

  it('celery control enable_events / disable_events / heartbeat switch a Nest worker', async () => {
    await nestApp(
      broker.nestOptions({
        worker: { queues: [quietQueue], nodeName: quietNode },
      }),
      [EventTasks],
      logs,
    );
    const control = async (command: string) => {
      const out = await celeryCli(config, [
        'control',
        command,
        '-d',
        quietNode,
        '--json',
        '-t',
        '3',
      ]);
      return Object.assign(
        {},
        ...(JSON.parse(out.stdout || '[]') as object[]),
      ) as Record<string, unknown>;
    };
    const silent = await send('events.add', [1, 1], quietQueue);
    await silent.get({ timeout: 20 });

    expect(await control('enable_events')).toEqual({
      [quietNode]: { ok: 'task events enabled' },
    });
    const loud = await send('events.add', [1, 2], quietQueue);
    await loud.get({ timeout: 20 });
    await heard('task-succeeded', { uuid: loud.id, hostname: quietNode });

    expect(await control('disable_events')).toEqual({
      [quietNode]: { ok: 'task events disabled' },
    });
    const silentAgain = await send('events.add', [1, 3], quietQueue);
    await silentAgain.get({ timeout: 20 });

    await control('heartbeat');
    await heard('worker-heartbeat', { hostname: quietNode, freq: 5 });
    const workerSide = (id: string) =>
      receiver.events.filter(
        (event) => event.uuid === id && event.hostname === quietNode,
      );
    expect(workerSide(silent.id)).toEqual([]);
    expect(workerSide(silentAgain.id)).toEqual([]);
  });

  it("TaskEvents hears a Python worker's events (celery worker -E) and keeps the fleet's state", async () => {
    const events = app.get(TaskEvents);
    const fleet: FleetState = events.fleet();
    const python = await CeleryWorker.start({
      name: uniqueName('py-ev'),
      queues: [pythonQueue],
      config,
      events: true,
    });
    const pythonNode = `${python.name}@${hostname()}`;
    // Its worker-online, or the heartbeat TaskEvents asked for when it started listening.
    await waitUntil(() => fleet.worker(pythonNode) !== undefined, 15_000);
    expect(fleet.worker(pythonNode)).toMatchObject({
      swIdent: 'py-celery',
      online: true,
    });
    // Listening before it is sent: a prefork worker may be done before send resolves.
    const taskId = randomUUID();
    const seen: CeleryEvent[] = [];
    const subscription = events.events$
      .pipe(ofTask(taskId))
      .subscribe((event) => seen.push(event));
    const result = await send('py.add', [4, 5], pythonQueue, taskId);
    expect(await result.get({ timeout: 20 })).toBe(9);
    await waitUntil(() => fleet.task(result.id)?.state === 'SUCCESS', 15_000);
    expect(fleet.task(result.id)).toMatchObject({
      name: 'py.add',
      worker: pythonNode,
      result: '9',
    });
    expect(fleet.workers().map((w) => w.hostname)).toEqual(
      expect.arrayContaining([pythonNode, node]),
    );
    await waitUntil(() => seen.some((e) => e.type === 'task-succeeded'), 5000);
    subscription.unsubscribe();
    await python.kill();
  });

  it('a malformed event never stops a receiver: skipped, logged once', async () => {
    // Celery's own receiver would stop on these: it has heard what it needed.
    await receiver.stop();
    const events = app.get(TaskEvents);
    const before = events.skipped;
    const bus = app.get<EventBus>(EVENT_BUS);
    await bus.publishEvents(
      [
        { routingKey: 'task.multi', body: [{ type: 'task-succeeded' }] },
        { routingKey: 'worker.heartbeat', body: { no: 'type' } },
      ],
      'bad@host',
    );
    if (setup.broker === 'redis')
      await broker.redis.publish(`${broker.prefix}/0.celeryev/x`, 'not json');
    const result = await send('events.add', [3, 4], queue);
    await result.get({ timeout: 20 });
    await waitUntil(
      () => events.fleet().task(result.id)?.state === 'SUCCESS',
      15_000,
    );
    expect(events.skipped - before).toBe(setup.broker === 'redis' ? 3 : 2);
    expect(
      logs.lines.filter((line) => line.includes('not a Celery event')),
    ).toHaveLength(1);
  });
});
