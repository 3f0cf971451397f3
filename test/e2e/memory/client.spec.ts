import { Injectable } from '@nestjs/common';
import {
  ArgumentNotDataError,
  NotRegisteredError,
  Task,
  TaskClient,
  UnsupportedCompressionError,
} from '../../../lib';
import { memoryApp } from '../../support/memory-app';

class Event {
  constructor(
    readonly id: number,
    readonly name: string,
  ) {}
}

@Injectable()
class EventTasks {
  loaded: number[] = [];

  @Task('events.updateParticipants')
  updateParticipants(eventId: number, count: number): string {
    this.loaded.push(eventId); // a real task loads the record fresh by its id
    return `event ${eventId}: ${count}`;
  }

  @Task('events.echo')
  echo(value: unknown): unknown {
    return value;
  }
}

describe('the client', () => {
  it('refuses an entity before sending, and advises to pass its id', async () => {
    const { app, broker } = await memoryApp({ providers: [EventTasks] });
    const client = app.get(TaskClient);
    const event = new Event(42, 'launch');
    const refused = client.send('events.updateParticipants', [event, 23]);
    await expect(refused).rejects.toBeInstanceOf(ArgumentNotDataError);
    await expect(refused).rejects.toThrow(
      /args\[0\] is an instance of class Event.*Pass the record's id/s,
    );
    const nested = client.send('events.echo', [
      { title: 'x' },
      { owner: event },
    ]);
    await expect(nested).rejects.toThrow(
      /args\[1\]\.owner is an instance of class Event/,
    );
    await expect(client.send('events.echo', [() => 1])).rejects.toThrow(
      /args\[0\] is a function/,
    );
    await expect(client.send('events.echo', [10n])).rejects.toThrow(
      /args\[0\] is a BigInt/,
    );
    await expect(client.send('events.echo', [Symbol('s')])).rejects.toThrow(
      /args\[0\] is a symbol/,
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(client.send('events.echo', [cyclic])).rejects.toThrow(
      /args\[0\]\.self refers back/,
    );
    await expect(
      client.send('events.echo', [], {
        kwargs: { user: { address: new Map() } },
      }),
    ).rejects.toThrow(/kwargs\.user\.address is an instance of class Map/);
    expect(broker.size('celery')).toBe(0); // nothing was sent
    await app.close();
  });

  it('runs the seed story with the id, and sends dates as ISO strings', async () => {
    const { app } = await memoryApp(
      { providers: [EventTasks] },
      { worker: true },
    );
    const client = app.get(TaskClient);
    const event = new Event(42, 'launch');
    const handle = client.task(EventTasks, 'updateParticipants');
    expect(await (await handle.delay(event.id, 23)).get({ timeout: 5 })).toBe(
      'event 42: 23',
    );
    expect(app.get(EventTasks).loaded).toEqual([42]);
    const when = new Date('2026-11-22T10:00:00.000Z');
    const echoed = await (
      await client.send('events.echo', [{ when }])
    ).get({ timeout: 5 });
    expect(echoed).toEqual({ when: '2026-11-22T10:00:00.000Z' });
    await app.close();
  });

  it('sends to the task’s queue, the call’s queue, or the default queue', async () => {
    @Injectable()
    class Routed {
      @Task({ name: 'routed.video', queue: 'transcode' })
      video(): void {}
    }
    const { app, broker } = await memoryApp(
      { providers: [Routed] },
      { defaultQueue: 'main' },
    );
    const client = app.get(TaskClient);
    await client.send('routed.video');
    await client.send('routed.video', [], { queue: 'urgent' });
    await client.send('elsewhere.task');
    expect([
      broker.size('transcode'),
      broker.size('urgent'),
      broker.size('main'),
    ]).toEqual([1, 1, 1]);
    await app.close();
  });

  it('uses the given task id and priority', async () => {
    const { app, broker } = await memoryApp({ providers: [EventTasks] });
    const client = app.get(TaskClient);
    const result = await client.send('events.echo', [1], {
      taskId: 'my-id',
      priority: 3,
    });
    expect(result.id).toBe('my-id');
    const stored = broker.take('celery')!;
    const message = JSON.parse(stored.serialized) as {
      headers: { id: string };
      properties: { priority: number };
    };
    expect(message.headers.id).toBe('my-id');
    expect(message.properties.priority).toBe(3);
    await app.close();
  });

  it('refuses a priority outside 0-9 before sending anything', async () => {
    const { app, broker } = await memoryApp({ providers: [EventTasks] });
    const client = app.get(TaskClient);
    await expect(
      client.send('events.echo', [1], { priority: 42 }),
    ).rejects.toThrow(
      /call of task "events.echo": priority 42 is not valid \(a whole number from 0 to 9\)/,
    );
    expect(broker.size('celery')).toBe(0);
    await app.close();
  });

  it("writes kombu's compression header: the call's, else the task's defaults", async () => {
    const { app, broker } = await memoryApp(
      { providers: [EventTasks] },
      { taskDefaults: { compression: 'brotli' } },
    );
    const client = app.get(TaskClient);
    await client.send('events.echo', [1], { compression: 'gzip' });
    await client.send('events.echo', [2]);
    const headers = [broker.take('celery')!, broker.take('celery')!].map(
      (stored) =>
        (JSON.parse(stored.serialized) as { headers: Record<string, unknown> })
          .headers.compression,
    );
    expect(headers).toEqual(['application/x-gzip', 'application/x-brotli']);
    await app.close();
  });

  it('refuses a compression Node cannot do (bzip2) before sending anything', async () => {
    const { app, broker } = await memoryApp({ providers: [EventTasks] });
    const client = app.get(TaskClient);
    await expect(
      client.send('events.echo', [1], { compression: 'bzip2' as 'gzip' }),
    ).rejects.toThrow(UnsupportedCompressionError);
    expect(broker.size('celery')).toBe(0);
    await app.close();
  });

  it('refuses a typed handle on a method without @Task', async () => {
    const { app } = await memoryApp({ providers: [EventTasks] });
    class Plain {
      run(): void {}
    }
    expect(() => app.get(TaskClient).task(Plain, 'run')).toThrow(
      NotRegisteredError,
    );
    await app.close();
  });

  it('runs tasks inline in eager mode, for users’ unit tests', async () => {
    const { app, broker } = await memoryApp(
      { providers: [EventTasks] },
      { eager: true },
    );
    const client = app.get(TaskClient);
    const result = await client
      .task(EventTasks, 'updateParticipants')
      .delay(7, 1);
    expect(await result.state()).toBe('SUCCESS');
    expect(await result.get()).toBe('event 7: 1');
    expect(broker.size('celery')).toBe(0);
    await expect(client.send('missing.task')).rejects.toBeInstanceOf(
      NotRegisteredError,
    );
    await app.close();
  });
});
