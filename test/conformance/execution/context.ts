import { Injectable } from '@nestjs/common';
import { CurrentTask, Task, TaskContext } from '../../../lib';
import { waitUntil } from '../../support/wait';
import { ExecutionHarness, useExecutionFixture } from './harness';

interface Seen {
  id: string;
  name: string;
  retries: number;
  queue: string | null;
  tenant: unknown;
  aborted: boolean;
  eager: boolean;
}

/** Tasks with plain typed parameters that read their context from TaskContext. */
@Injectable()
class ContextTasks {
  seen: Seen[] = [];
  private release: (() => void) | null = null;

  constructor(private readonly taskContext: TaskContext) {}

  @Task('context.describe')
  describe(a: number, b: string): string {
    this.seen.push(this.snapshot(this.taskContext.current));
    return `${a}-${b}`;
  }

  @Task('context.report')
  async report(steps: number): Promise<number> {
    const ctx = this.taskContext.current;
    await ctx.progress({ done: 1, of: steps });
    await new Promise<void>((resolve) => (this.release = resolve));
    await ctx.progress({ done: steps, of: steps });
    return steps;
  }

  /** A helper deeper down reads the same context (AsyncLocalStorage). */
  @Task('context.nested')
  async nested(): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return this.helper();
  }

  private helper(): string {
    return this.taskContext.current.name;
  }

  finish(): void {
    this.release?.();
  }

  private snapshot(ctx: CurrentTask): Seen {
    return {
      id: ctx.id,
      name: ctx.name,
      retries: ctx.retries,
      queue: ctx.queue,
      tenant: ctx.headers.tenant,
      aborted: ctx.signal.aborted,
      eager: ctx.eager,
    };
  }
}

export function describeContext(harness: ExecutionHarness): void {
  describe('task context', () => {
    const fixture = useExecutionFixture(harness);

    it('gives a task its id, name, retries, queue, headers and signal, parameters untouched', async () => {
      const app = await fixture().app([ContextTasks]);
      const client = fixture().client(app);
      const result = await client
        .task(ContextTasks, 'describe')
        .applyAsync([7, 'x'], { headers: { tenant: 'acme' } });
      expect(await result.get({ timeout: 10 })).toBe('7-x');
      expect(app.get(ContextTasks).seen).toEqual([
        {
          id: result.id,
          name: 'context.describe',
          retries: 0,
          queue: fixture().queue,
          tenant: 'acme',
          aborted: false,
          eager: false,
        },
      ]);
      expect(
        await (await client.send('context.nested')).get({ timeout: 10 }),
      ).toBe('context.nested');
      expect(() => app.get(TaskContext).current).toThrow(
        /only available while a task runs/,
      );
      expect(app.get(TaskContext).active).toBeUndefined();
    });

    it('reports progress that AsyncResult reads while the task runs', async () => {
      const app = await fixture().app([ContextTasks]);
      const result = await fixture()
        .client(app)
        .task(ContextTasks, 'report')
        .delay(3);
      await waitUntil(
        async () => (await result.state()) === 'PROGRESS',
        10_000,
        'PROGRESS',
      );
      expect(await result.progress()).toEqual({ done: 1, of: 3 });
      expect((await result.meta())?.result).toEqual({ done: 1, of: 3 });
      app.get(ContextTasks).finish();
      expect(await result.get({ timeout: 10 })).toBe(3);
      // The last progress write is done before SUCCESS is stored, never after it.
      expect(await result.state()).toBe('SUCCESS');
      expect(await result.progress()).toBeUndefined();
    });
  });
}
