import { Injectable } from '@nestjs/common';
import { Task, TaskContext } from '../../../lib';

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

  /** Positional arguments, then Python's kwargs as one last object. */
  @Task('nest.greet')
  greet(name: string, options: { punctuation?: string } = {}): string {
    return `Hello, ${name}${options.punctuation ?? '.'}`;
  }

  /** A task meant to be called with keyword arguments only. */
  @Task('nest.area')
  area({ width, height }: { width: number; height: number }): number {
    return width * height;
  }

  /** Everything it was called with, as the worker passed it. */
  @Task('nest.echo')
  echo(...args: unknown[]): unknown[] {
    return args;
  }

  /** When it ran and the eta it was given (ms since the epoch). */
  @Task('nest.when')
  when(): { ranAt: number; eta: number | null } {
    const { eta } = this.taskContext.current;
    return { ranAt: Date.now(), eta: eta?.getTime() ?? null };
  }

  /** What a Celery 5.3 producer's tagged types arrive as. */
  @Task('tasks.record')
  record(...args: unknown[]): unknown[] {
    return args;
  }
}
