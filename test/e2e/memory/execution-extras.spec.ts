import { Injectable } from '@nestjs/common';
import {
  OnTaskRetry,
  Task,
  TaskClient,
  TaskContext,
  TaskRevokedError,
  TaskRetryEvent,
} from '../../../lib';
import { TRANSPORT } from '../../../lib/options/tokens';
import { MemoryTransport } from '../../../lib/transports/memory';
import { memoryApp } from '../../support/memory-app';

@Injectable()
class EagerTasks {
  runs: Array<{ retries: number; eager: boolean; queue: string | null }> = [];
  retried: TaskRetryEvent[] = [];

  constructor(private readonly taskContext: TaskContext) {}

  @Task('eager.retryOnce')
  retryOnce(n: number): number {
    const ctx = this.taskContext.current;
    this.runs.push({
      retries: ctx.retries,
      eager: ctx.eager,
      queue: ctx.queue,
    });
    if (ctx.retries === 0) ctx.retry({ countdown: 3600 });
    return n + ctx.retries;
  }

  @Task({ name: 'eager.alwaysFails', maxRetries: 2, retryDelay: 3600 })
  alwaysFails(): never {
    this.runs.push({
      retries: this.taskContext.current.retries,
      eager: true,
      queue: null,
    });
    throw new Error('no');
  }

  @Task({ name: 'eager.later' })
  later(): string {
    return 'ran';
  }

  @OnTaskRetry()
  onRetry(event: TaskRetryEvent): void {
    this.retried.push(event);
  }
}

describe('execution in eager mode', () => {
  it('runs a retry inline at once, with the context and hooks of a worker', async () => {
    const { app } = await memoryApp(
      { providers: [EagerTasks] },
      { eager: true },
    );
    const client = app.get(TaskClient);
    const tasks = app.get(EagerTasks);
    const result = await client.task(EagerTasks, 'retryOnce').delay(10);
    expect(await result.get()).toBe(11);
    expect(tasks.runs).toEqual([
      { retries: 0, eager: true, queue: null },
      { retries: 1, eager: true, queue: null },
    ]);
    expect(tasks.retried.map((event) => event.taskId)).toEqual([result.id]);
    tasks.runs = [];
    const failing = await client.send('eager.alwaysFails');
    await expect(failing.get()).rejects.toMatchObject({ excMessage: 'no' });
    expect(tasks.runs.map((run) => run.retries)).toEqual([0, 1, 2]);
    await app.close();
  });
});

describe('revokes from Python Celery', () => {
  it('honours a pidbox revoke command as app.control.revoke sends it', async () => {
    const { app } = await memoryApp(
      { providers: [EagerTasks] },
      { worker: true },
    );
    const client = app.get(TaskClient);
    const later = await client.send('eager.later', [], { countdown: 0.3 });
    await app.get<MemoryTransport>(TRANSPORT).broadcastControl({
      method: 'revoke',
      arguments: { task_id: [later.id], terminate: false, signal: 'SIGTERM' },
      destination: null,
      pattern: null,
      matcher: null,
      ticket: 'f6a4ea9c-760e-4f27-8293-6c5512342460',
      reply_to: { exchange: 'reply.celery.pidbox', routing_key: '9527b90e' },
    });
    await expect(later.get({ timeout: 5 })).rejects.toBeInstanceOf(
      TaskRevokedError,
    );
    await app.close();
  });
});
