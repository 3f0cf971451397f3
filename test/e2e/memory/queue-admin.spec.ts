import { Injectable } from '@nestjs/common';
import { QueueAdmin, Task, TaskClient, TaskWorkerService } from '../../../lib';
import { memoryApp } from '../../support/memory-app';
import { uniqueName, waitUntil } from '../../support/wait';

@Injectable()
class AdminTasks {
  @Task('admin.noop')
  noop(): void {}
}

describe('QueueAdmin on the memory broker', () => {
  it('counts by priority, purges what waits, and names the queues a worker consumes', async () => {
    const { app } = await memoryApp({ providers: [AdminTasks] });
    const admin = app.get(QueueAdmin);
    const client = app.get(TaskClient);
    const queue = uniqueName('admin');
    for (const priority of [0, 0, 9])
      await client.send('admin.noop', [], { queue, priority });
    const [depth] = await admin.depths([queue]);
    expect(depth).toMatchObject({ queue, ready: 3 });
    expect(depth.byPriority).toEqual({ 0: 2, 9: 1 });
    expect(await admin.purge(queue)).toBe(3);
    expect((await admin.depths([queue]))[0].ready).toBe(0);
    // No worker here: nobody answers.
    expect(await admin.consumedQueues({ timeout: 0.3 })).toEqual([]);
  });

  it('pauses a queue on every worker and resumes it', async () => {
    const queue = uniqueName('paused');
    const { app } = await memoryApp(
      { providers: [AdminTasks] },
      { worker: { queues: ['celery', queue] } },
    );
    const worker = app.get(TaskWorkerService).current!;
    const admin = app.get(QueueAdmin);
    const paused = await admin.pause(queue, { timeout: 1 });
    expect(paused).toEqual({
      [worker.node]: { ok: `no longer consuming from ${queue}` },
    });
    await waitUntil(() => !worker.queues().includes(queue), 5000);
    expect(await admin.consumedQueues({ timeout: 1 })).toEqual([
      { queue: 'celery', nodes: [worker.node] },
    ]);
    expect(await admin.resume(queue, { timeout: 1 })).toEqual({
      [worker.node]: { ok: `add consumer ${queue}` },
    });
    await waitUntil(() => worker.queues().includes(queue), 5000);
  });
});
