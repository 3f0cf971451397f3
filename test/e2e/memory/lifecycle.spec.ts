import { Injectable } from '@nestjs/common';
import { Task, TaskClient, TaskRevokedError } from '../../../lib';
import { TaskLifecycle } from '../../../lib/lifecycle/task-lifecycle.service';
import { TaskObserver } from '../../../lib/lifecycle/task-observer';
import { closeOpenApps, memoryApp } from '../../support/memory-app';
import { uniqueName, waitUntil } from '../../support/wait';

@Injectable()
class LifecycleTasks {
  @Task('lifecycle.ok')
  ok(n: number): number {
    return n * 2;
  }

  @Task('lifecycle.boom')
  boom(): never {
    throw new Error('boom');
  }
}

/** Records every call, with the task name, in order. */
function recorder(): { lines: string[]; observer: TaskObserver } {
  const lines: string[] = [];
  return {
    lines,
    observer: {
      beforeSend: (message) => {
        message.headers.observed = 'yes';
        lines.push(`beforeSend ${message.headers.task}`);
      },
      sent: (message, queue) =>
        lines.push(`sent ${message.headers.task} ${queue}`),
      received: (request) =>
        lines.push(
          `received ${request.name} ${String(request.message.headers.observed)}`,
        ),
      rejected: (request, _queue, reason) =>
        lines.push(`rejected ${request?.name ?? '?'} ${reason}`),
      revoked: (request, reason) =>
        lines.push(`revoked ${request.name} ${reason}`),
      started: (request) => lines.push(`started ${request.name}`),
      aroundRun: async (request, run) => {
        lines.push(`around> ${request.name}`);
        const value = await run();
        lines.push(`around< ${request.name}`);
        return value;
      },
      finished: (request, end, runtimeMs) => {
        expect(runtimeMs).toBeGreaterThanOrEqual(0);
        lines.push(`finished ${request.name} ${end.kind}`);
      },
    },
  };
}

describe('TaskLifecycle: what observers see of a task (memory broker)', () => {
  afterEach(closeOpenApps);

  async function start() {
    const queue = uniqueName('lifecycle');
    const { app } = await memoryApp(
      { providers: [LifecycleTasks] },
      { defaultQueue: queue, worker: { queues: [queue], concurrency: 1 } },
    );
    return {
      app,
      queue,
      client: app.get(TaskClient),
      lifecycle: app.get(TaskLifecycle),
    };
  }

  it('a success: sent, received with the header beforeSend added, started, run inside aroundRun, finished', async () => {
    const { client, lifecycle, queue } = await start();
    const { lines, observer } = recorder();
    lifecycle.observe(observer);
    const result = await client.send<number>('lifecycle.ok', [21]);
    expect(await result.get({ timeout: 5 })).toBe(42);
    await waitUntil(() => lines.includes('finished lifecycle.ok success'));
    expect(lines).toEqual([
      'beforeSend lifecycle.ok',
      `sent lifecycle.ok ${queue}`,
      'received lifecycle.ok yes',
      'started lifecycle.ok',
      'around> lifecycle.ok',
      'around< lifecycle.ok',
      'finished lifecycle.ok success',
    ]);
  });

  it('a failure, an unknown name and a revoked task are each told as such', async () => {
    const { client, lifecycle } = await start();
    const { lines, observer } = recorder();
    lifecycle.observe(observer);
    await expect(
      (await client.send('lifecycle.boom')).get({ timeout: 5 }),
    ).rejects.toThrow('boom');
    await (
      await client.send('lifecycle.nobody')
    )
      .get({ timeout: 5 })
      .catch(() => undefined);
    const revoked = await client.send('lifecycle.ok', [1], { countdown: 1 });
    await revoked.revoke();
    await expect(revoked.get({ timeout: 5 })).rejects.toBeInstanceOf(
      TaskRevokedError,
    );
    await waitUntil(() => lines.some((line) => line.startsWith('revoked')));
    expect(lines).toContain('finished lifecycle.boom failure');
    expect(lines).toContain(
      'rejected lifecycle.nobody NotRegistered: lifecycle.nobody',
    );
    expect(lines).toContain('revoked lifecycle.ok revoked');
  });

  it('an observer that throws changes nothing for the task, and is removed by its handle', async () => {
    const { client, lifecycle } = await start();
    const remove = lifecycle.observe({
      started: () => {
        throw new Error('observer bug');
      },
    });
    expect(
      await (
        await client.send<number>('lifecycle.ok', [2])
      ).get({ timeout: 5 }),
    ).toBe(4);
    remove();
    const { lines, observer } = recorder();
    lifecycle.observe(observer);
    expect(
      await (
        await client.send<number>('lifecycle.ok', [3])
      ).get({ timeout: 5 }),
    ).toBe(6);
    await waitUntil(() => lines.includes('finished lifecycle.ok success'));
  });
});
