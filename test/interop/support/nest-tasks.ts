import { Injectable } from '@nestjs/common';
import { Kwargs, Task, TaskContext } from '../../../lib';

/** A card was declined: an error class only JavaScript knows. */
export class PaymentDeclined extends Error {}

/** Named like Python's builtin, so Python sees a ValueError. */
class ValueError extends Error {
  override readonly name = 'ValueError';
}

/** The Nest tasks Python calls in the interop tests. */
@Injectable()
export class InteropTasks {
  constructor(private readonly taskContext: TaskContext) {}

  @Task('math.add')
  add(a: number, b: number): number {
    return a + b;
  }

  /** A chord body: the sum of its header's results. */
  @Task('nest.sum')
  sum(numbers: number[]): number {
    return numbers.reduce((total, n) => total + n, 0);
  }

  @Task('nest.type_error')
  typeError(value: unknown): never {
    throw new TypeError(`expected a number, got ${JSON.stringify(value)}`);
  }

  @Task('nest.fail')
  fail(message: string): never {
    throw new ValueError(message);
  }

  /** Fails its first run and asks for a retry (same id, `retries + 1`). */
  @Task('nest.flaky')
  flaky(): string {
    const ctx = this.taskContext.current;
    if (ctx.retries === 0)
      ctx.retry({ countdown: 0.2, error: new Error('not yet') });
    return `ok after ${ctx.retries} retry`;
  }

  @Task('nest.decline')
  decline(amount: number): never {
    throw new PaymentDeclined(`card declined for ${amount}`);
  }

  /** A parameter with a default: Python may leave it out or name it. */
  @Task('nest.greet')
  greet(name: string, punctuation = '.'): string {
    return `Hello, ${name}${punctuation}`;
  }

  /** Every keyword argument in one object (Python's `**kwargs`). */
  @Task('nest.area')
  area(@Kwargs() { width, height }: { width: number; height: number }): number {
    return width * height;
  }

  /** Everything it was called with: `*args` and `**kwargs`. */
  @Task('nest.echo')
  echo(
    @Kwargs() kwargs: Record<string, unknown>,
    ...args: unknown[]
  ): { args: unknown[]; kwargs: Record<string, unknown> } {
    return { args, kwargs };
  }

  /** A Date parameter: Python's ISO string arrives as a Date. */
  @Task('nest.date')
  date(at: Date): { isDate: boolean; iso: string } {
    return { isDate: at instanceof Date, iso: at.toISOString() };
  }

  /** Works in steps for `ms`, checking between steps whether it must stop. */
  @Task('nest.steps')
  async steps(ms: number): Promise<string> {
    const ctx = this.taskContext.current;
    const until = Date.now() + ms;
    while (Date.now() < until) {
      ctx.throwIfAborted();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return 'done';
  }

  /** When it ran and the eta it was given (ms since the epoch). */
  @Task('nest.when')
  when(): { ranAt: number; eta: number | null } {
    const { eta } = this.taskContext.current;
    return { ranAt: Date.now(), eta: eta?.getTime() ?? null };
  }

  /** What a Celery 5.3 producer's tagged types arrive as. */
  @Task('tasks.record')
  record(@Kwargs() kwargs: object, ...args: unknown[]): unknown[] {
    return [...args, kwargs];
  }
}
