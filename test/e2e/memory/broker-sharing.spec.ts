import { Injectable } from '@nestjs/common';
import { Task, TaskClient } from '../../../lib';
import { MemoryTransport } from '../../../lib/transports/memory';
import { memoryApp } from '../../support/memory-app';
import { uniqueName } from '../../support/wait';

@Injectable()
class ShareTasks {
  @Task('share.add')
  add(a: number, b: number): number {
    return a + b;
  }
}

// One broker per name and process, as a server: apps that name the same one share it.
describe('which apps share a memory broker', () => {
  it('apps on memory:// share the default broker and its results, like two apps on one Redis', async () => {
    const queue = uniqueName('share-default');
    const { app: web } = await memoryApp(
      { providers: [ShareTasks] },
      { broker: 'memory://', defaultQueue: queue },
    );
    await memoryApp(
      { providers: [ShareTasks] },
      { broker: 'memory://', defaultQueue: queue, worker: true },
    );
    const result = await web.get(TaskClient).send<number>('share.add', [2, 3]);
    expect(await result.get({ timeout: 5 })).toBe(5);
    expect(MemoryTransport.fromUrl('memory://').broker).toBe(
      MemoryTransport.fromUrl('memory://default').broker,
    );
  });

  it('memory://<name> is a broker of its own: a worker on another name never takes its tasks', async () => {
    const queue = uniqueName('share-named');
    const [mine, theirs] = [uniqueName('mine'), uniqueName('theirs')];
    const { app: web, broker } = await memoryApp(
      { providers: [ShareTasks] },
      { broker: `memory://${mine}`, defaultQueue: queue },
    );
    const { broker: other } = await memoryApp(
      { providers: [ShareTasks] },
      { broker: `memory://${theirs}`, defaultQueue: queue, worker: true },
    );
    const result = await web.get(TaskClient).send<number>('share.add', [1, 1]);
    expect([broker.size(queue), other.size(queue)]).toEqual([1, 0]);
    await memoryApp(
      { providers: [ShareTasks] },
      { broker: `memory://${mine}`, defaultQueue: queue, worker: true },
    );
    expect(await result.get({ timeout: 5 })).toBe(2);
  });
});
