import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  AsyncResult,
  Task,
  TaskContext,
  TaskRevokedError,
  chain,
} from '../../../lib';
import { waitUntil } from '../../support/wait';
import {
  ExecutionHarness,
  describeIf,
  itIf,
  useExecutionFixture,
} from './harness';

@Injectable()
class RevokeTasks {
  ran: string[] = [];
  abortReasons: string[] = [];

  constructor(private readonly taskContext: TaskContext) {}

  @Task('revoke.quick')
  quick(n: number): number {
    this.ran.push(this.taskContext.current.id);
    return n;
  }

  /** Runs until aborted, and even then never settles: terminate must free its slot. */
  @Task('revoke.endless')
  endless(): Promise<never> {
    const ctx = this.taskContext.current;
    this.ran.push(ctx.id);
    ctx.signal.addEventListener('abort', () => {
      const reason = ctx.signal.reason as TaskRevokedError;
      this.abortReasons.push(`${reason.name}: ${reason.reason}`);
    });
    return new Promise<never>(() => undefined);
  }
}

export function describeRevoke(harness: ExecutionHarness): void {
  describeIf(harness, 'revoke', 'revoke', () => {
    const fixture = useExecutionFixture(harness);

    it('revokeChain: the chain’s pending first step reads REVOKED and no step runs', async () => {
      const app = await fixture().app([RevokeTasks]);
      const client = fixture().client(app);
      const result = await chain(
        client.signature<number>('revoke.quick', [1], { countdown: 0.3 }),
        client.signature<number>('revoke.quick'),
        client.signature<number>('revoke.quick'),
      ).applyAsync();
      await result.revokeChain();
      const first = result.parent!.parent as AsyncResult;
      await expect(first.get({ timeout: 10 })).rejects.toBeInstanceOf(
        TaskRevokedError,
      );
      expect(await result.state()).toBe('PENDING');
      expect(app.get(RevokeTasks).ran).toEqual([]);
    });

    it('skips a revoked task that comes later (eta): REVOKED, never run', async () => {
      const app = await fixture().app([RevokeTasks]);
      const client = fixture().client(app);
      const later = await client.send('revoke.quick', [1], { countdown: 0.3 });
      await later.revoke();
      const error = (await later
        .get({ timeout: 10 })
        .catch((e: unknown) => e)) as TaskRevokedError;
      expect(error).toBeInstanceOf(TaskRevokedError);
      expect(error.reason).toBe('revoked');
      expect(app.get(RevokeTasks).ran).toEqual([]);
      expect(
        await (await client.send('revoke.quick', [2])).get({ timeout: 10 }),
      ).toBe(2);
    });

    itIf(
      harness,
      'kept-revokes',
      'keeps revokes, so a worker that starts later honours them too',
      async () => {
        const producer = await fixture().app([RevokeTasks], { worker: false });
        const client = fixture().client(producer);
        const sent = await Promise.all(
          [1, 2, 3].map((n) => client.send('revoke.quick', [n])),
        );
        await client.revoke([sent[0].id, sent[2].id]);
        const worker = await fixture().app([RevokeTasks]);
        expect(await sent[1].get({ timeout: 10 })).toBe(2);
        await expect(sent[0].get({ timeout: 10 })).rejects.toBeInstanceOf(
          TaskRevokedError,
        );
        await expect(sent[2].get({ timeout: 10 })).rejects.toBeInstanceOf(
          TaskRevokedError,
        );
        expect(worker.get(RevokeTasks).ran).toEqual([sent[1].id]);
      },
    );

    it('terminates a running task through its signal, stores REVOKED and frees its slot', async () => {
      const app = await fixture().app([RevokeTasks], {
        worker: { concurrency: 1 },
      });
      const client = fixture().client(app);
      const tasks = app.get(RevokeTasks);
      const endless = await client.send('revoke.endless');
      await waitUntil(
        () => tasks.ran.length === 1,
        10_000,
        'the task to start',
      );
      const quick = await client.send('revoke.quick', [7]);
      await client.revoke(endless.id, { terminate: true });
      await expect(endless.get({ timeout: 10 })).rejects.toMatchObject({
        reason: 'terminated',
      });
      expect(tasks.abortReasons).toEqual(['TaskRevokedError: terminated']);
      expect(await quick.get({ timeout: 10 })).toBe(7);
    });

    it('terminates every run of one id, the same message delivered twice', async () => {
      const app = await fixture().app([RevokeTasks], {
        worker: { concurrency: 2 },
      });
      const client = fixture().client(app);
      const tasks = app.get(RevokeTasks);
      const taskId = randomUUID();
      // A redelivery runs a task id a second time while the first run goes on.
      const endless = await client.send('revoke.endless', [], { taskId });
      await client.send('revoke.endless', [], { taskId });
      await waitUntil(
        () => tasks.ran.length === 2,
        10_000,
        'both runs to start',
      );
      await client.revoke(taskId, { terminate: true });
      await expect(endless.get({ timeout: 10 })).rejects.toMatchObject({
        reason: 'terminated',
      });
      await waitUntil(
        () => tasks.abortReasons.length === 2,
        10_000,
        'both runs to be aborted',
      );
      expect(tasks.ran).toEqual([taskId, taskId]);
      expect(tasks.abortReasons).toEqual([
        'TaskRevokedError: terminated',
        'TaskRevokedError: terminated',
      ]);
    });

    it('does not touch a running task without terminate', async () => {
      const app = await fixture().app([RevokeTasks], {
        worker: { concurrency: 2 },
      });
      const client = fixture().client(app);
      const tasks = app.get(RevokeTasks);
      const endless = await client.send('revoke.endless');
      const marker = await client.send('revoke.endless');
      await waitUntil(
        () => tasks.ran.length === 2,
        10_000,
        'both tasks to start',
      );
      await endless.revoke();
      // A wait alone proves nothing on a broker slower than it. Control messages from
      // one client arrive in order: once a terminate sent after the plain revoke has
      // aborted the other task, the plain revoke was handled too, and left its task be.
      await client.revoke(marker.id, { terminate: true });
      await expect(marker.get({ timeout: 10 })).rejects.toMatchObject({
        reason: 'terminated',
      });
      expect(tasks.abortReasons).toEqual(['TaskRevokedError: terminated']);
      expect(await endless.state()).toBe('PENDING');
    });
  });
}
