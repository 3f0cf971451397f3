/**
 * Compile-time checks of the typed client: `npm test` runs `tsc --noEmit` over this file,
 * and every `@ts-expect-error` line must be an error, or the type check fails.
 * It is never executed.
 */
import { AsyncResult, Task, TaskClient } from '../../lib';

class MathTasks {
  @Task('math.add')
  add(a: number, b: number): number {
    return a + b;
  }

  @Task('math.greet')
  async greet(name: string): Promise<string> {
    return `hi ${name}`;
  }

  notATaskProperty = 3;
}

export async function typedClientChecks(client: TaskClient): Promise<void> {
  const add = client.task(MathTasks, 'add');
  const sum: AsyncResult<number> = await add.delay(2, 3);
  const value: number = await sum.get({ timeout: 5 });
  const greeting: string = await (
    await client.task(MathTasks, 'greet').applyAsync(['Ada'], { countdown: 1 })
  ).get();

  // @ts-expect-error wrong argument type
  await add.delay('2', 3);
  // @ts-expect-error missing argument
  await add.delay(2);
  // @ts-expect-error too many arguments
  await add.delay(1, 2, 3);
  // @ts-expect-error wrong result type
  const wrong: AsyncResult<string> = await add.delay(1, 2);
  // @ts-expect-error the awaited result is a number, not a string
  const wrongValue: string = await (await add.delay(1, 2)).get();
  // @ts-expect-error not a method of MathTasks
  client.task(MathTasks, 'multiply');
  // @ts-expect-error a property, not a method
  client.task(MathTasks, 'notATaskProperty');
  // @ts-expect-error applyAsync takes the arguments as a tuple of the right types
  await client.task(MathTasks, 'greet').applyAsync([42]);

  // By name the result type is whatever the caller says; arguments are unchecked data.
  const byName: AsyncResult<number> = await client.send<number>(
    'math.add',
    [1, 2],
  );
  void [value, greeting, wrong, wrongValue, byName];
}
