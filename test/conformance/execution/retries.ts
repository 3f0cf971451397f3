import { Injectable } from '@nestjs/common';
import {
  ResultMeta,
  Task,
  TaskClient,
  TaskContext,
  TaskFailedError,
  UnrecoverableError,
} from '../../../lib';
import { ExecutionHarness, useExecutionFixture } from './harness';

class Flaky extends Error {}
class Fatal extends Flaky {}

/** Tasks that fail on purpose, recording every run. */
@Injectable()
class RetryTasks {
  runs: Array<{ retries: number; parentId: string | null; at: number }> = [];

  constructor(
    private readonly taskContext: TaskContext,
    private readonly client: TaskClient,
  ) {}

  private record(): number {
    const ctx = this.taskContext.current;
    this.runs.push({
      retries: ctx.retries,
      parentId: ctx.parentId,
      at: Date.now(),
    });
    return ctx.retries;
  }

  @Task({ name: 'retry.twiceThenOk', maxRetries: 3, retryDelay: '50ms' })
  twiceThenOk(value: string): string {
    if (this.record() < 2) throw new Flaky(`not yet (${value})`);
    return `ok ${value}`;
  }

  @Task({ name: 'retry.always', maxRetries: 2, retryDelay: '10ms' })
  always(): never {
    throw new Flaky(`attempt ${this.record()}`);
  }

  @Task({ name: 'retry.unrecoverable', maxRetries: 5, retryDelay: '10ms' })
  unrecoverable(): never {
    this.record();
    throw new UnrecoverableError('card stolen');
  }

  @Task({
    name: 'retry.only',
    autoretryFor: [Flaky],
    dontAutoretryFor: [Fatal],
    retryDelay: '10ms',
  })
  only(kind: 'flaky' | 'fatal' | 'range'): never {
    const retries = this.record();
    if (kind === 'range') throw new RangeError(`range ${retries}`);
    if (kind === 'fatal') throw new Fatal(`fatal ${retries}`);
    throw new Flaky(`flaky ${retries}`);
  }

  @Task({ name: 'retry.asks' })
  asks(): string {
    const retries = this.record();
    if (retries === 0)
      this.taskContext.current.retry({
        countdown: 0.2,
        error: new Flaky('later please'),
      });
    return `done after ${retries}`;
  }

  /** Fails once, then returns what its second run finds stored for it. */
  @Task({ name: 'retry.inspects', maxRetries: 1, retryDelay: '10ms' })
  async inspects(): Promise<ResultMeta> {
    if (this.record() === 0) throw new Flaky('first run');
    return (await this.client.result(this.taskContext.current.id).meta())!;
  }

  @Task({ name: 'retry.plain' })
  plain(): never {
    throw new Flaky(`plain ${this.record()}`);
  }

  @Task({
    name: 'retry.backoff',
    maxRetries: 2,
    retryBackoff: 0.1,
    retryJitter: false,
  })
  backoff(): never {
    throw new Flaky(`backoff ${this.record()}`);
  }
}

export function describeRetries(harness: ExecutionHarness): void {
  describe('retries', () => {
    const fixture = useExecutionFixture(harness);

    it('sends a failed task again with its id, retries + 1 and parent_id = its id', async () => {
      const app = await fixture().app([RetryTasks]);
      const tasks = app.get(RetryTasks);
      const result = await fixture()
        .client(app)
        .task(RetryTasks, 'twiceThenOk')
        .delay('x');
      expect(await result.get({ timeout: 10 })).toBe('ok x');
      expect(tasks.runs.map((run) => run.retries)).toEqual([0, 1, 2]);
      expect(tasks.runs.map((run) => run.parentId)).toEqual([
        null,
        result.id,
        result.id,
      ]);
    });

    it('stores RETRY, with the error, before the retry runs', async () => {
      const app = await fixture().app([RetryTasks]);
      const result = await fixture()
        .client(app)
        .task(RetryTasks, 'inspects')
        .delay();
      const seen = await result.get({ timeout: 10 });
      expect(seen).toMatchObject({
        status: 'RETRY',
        result: { exc_type: 'Flaky', exc_message: ['first run'] },
        date_done: null,
        task_id: result.id,
      });
      expect(seen.traceback).toContain('first run');
    });

    it('fails with the last error once retries run out', async () => {
      const app = await fixture().app([RetryTasks]);
      const result = await fixture().client(app).send('retry.always');
      const error = (await result
        .get({ timeout: 10 })
        .catch((e: unknown) => e)) as TaskFailedError;
      expect(error).toBeInstanceOf(TaskFailedError);
      expect(error.excType).toBe('Flaky');
      expect(error.excMessage).toBe('attempt 2');
      expect(app.get(RetryTasks).runs).toHaveLength(3);
      expect(await result.state()).toBe('FAILURE');
    });

    it('never retries an UnrecoverableError', async () => {
      const app = await fixture().app([RetryTasks]);
      const result = await fixture().client(app).send('retry.unrecoverable');
      await expect(result.get({ timeout: 10 })).rejects.toMatchObject({
        excType: 'UnrecoverableError',
        excMessage: 'card stolen',
      });
      expect(app.get(RetryTasks).runs).toHaveLength(1);
    });

    it('retries only autoretryFor errors, and never dontAutoretryFor ones', async () => {
      const app = await fixture().app([RetryTasks]);
      const client = fixture().client(app);
      const [flaky, fatal, range] = await Promise.all([
        client.send('retry.only', ['flaky']),
        client.send('retry.only', ['fatal']),
        client.send('retry.only', ['range']),
      ]);
      await expect(flaky.get({ timeout: 10 })).rejects.toMatchObject({
        excMessage: 'flaky 3',
      });
      await expect(fatal.get({ timeout: 10 })).rejects.toMatchObject({
        excMessage: 'fatal 0',
      });
      await expect(range.get({ timeout: 10 })).rejects.toMatchObject({
        excMessage: 'range 0',
      });
    });

    it('lets a task ask for a retry itself, with a countdown', async () => {
      const app = await fixture().app([RetryTasks]);
      const result = await fixture()
        .client(app)
        .task(RetryTasks, 'asks')
        .delay();
      expect(await result.get({ timeout: 10 })).toBe('done after 1');
      const [first, second] = app.get(RetryTasks).runs;
      expect(second.at - first.at).toBeGreaterThanOrEqual(190);
    });

    it('takes the module’s taskDefaults, and a call’s own retry options over the task’s', async () => {
      const app = await fixture().app([RetryTasks], {
        taskDefaults: { retryDelay: '10ms' },
      });
      const client = fixture().client(app);
      const tasks = app.get(RetryTasks);
      const once = await client.send('retry.plain');
      await expect(once.get({ timeout: 10 })).rejects.toMatchObject({
        excMessage: 'plain 0',
      });
      expect(tasks.runs).toHaveLength(1);
      const twice = await client.send('retry.plain', [], { maxRetries: 1 });
      await expect(twice.get({ timeout: 10 })).rejects.toMatchObject({
        excMessage: 'plain 1',
      });
      expect(tasks.runs).toHaveLength(3);
      const none = await client
        .task(RetryTasks, 'always')
        .applyAsync([], { maxRetries: 0 });
      await expect(none.get({ timeout: 10 })).rejects.toMatchObject({
        excMessage: 'attempt 0',
      });
    });

    it('backs off exponentially between retries', async () => {
      const app = await fixture().app([RetryTasks]);
      const result = await fixture().client(app).send('retry.backoff');
      await expect(result.get({ timeout: 10 })).rejects.toMatchObject({
        excMessage: 'backoff 2',
      });
      const at = app.get(RetryTasks).runs.map((run) => run.at);
      expect(at[1] - at[0]).toBeGreaterThanOrEqual(95);
      expect(at[2] - at[1]).toBeGreaterThanOrEqual(195);
    });
  });
}
