/**
 * Compile-time checks of `send` by name with a `TaskMap` (module augmentation, as an app
 * does it for tasks of another service): `npm test` runs `tsc --noEmit` over this file, and
 * every `@ts-expect-error` line must be an error. It is never executed.
 * The names are this file's own: the augmentation holds for the whole test program.
 */
import { AsyncResult, TaskClient } from '../../lib';

interface Receipt {
  id: string;
  cents: number;
}

declare module '../../lib' {
  interface TaskMap {
    'types.billing.charge': (customerId: string, cents: number) => Receipt;
    'types.mail.send': (to: string) => Promise<void>;
    'types.report.build': () => Promise<string[]>;
  }
}

export async function taskMapChecks(client: TaskClient): Promise<void> {
  const charged: AsyncResult<Receipt> = await client.send(
    'types.billing.charge',
    ['cus_1', 1200],
    { queue: 'billing' },
  );
  const receipt: Receipt = await charged.get({ timeout: 5 });
  const mailed: AsyncResult<void> = await client.send('types.mail.send', [
    'a@b.c',
  ]);
  const report: string[] = await (
    await client.send('types.report.build', [])
  ).get();

  // @ts-expect-error wrong argument type for a mapped name
  await client.send('types.billing.charge', ['cus_1', '1200']);
  // @ts-expect-error missing argument
  await client.send('types.billing.charge', ['cus_1']);
  // @ts-expect-error too many arguments
  await client.send('types.mail.send', ['a@b.c', 'extra']);
  // @ts-expect-error a mapped name needs its arguments
  await client.send('types.mail.send');
  // @ts-expect-error wrong result type
  const wrong: AsyncResult<string> = await client.send('types.mail.send', [
    'a@b.c',
  ]);
  // @ts-expect-error the awaited result is a Receipt
  const wrongValue: number = await charged.get();

  // Names outside the map stay untyped: any data, the result type the caller says.
  const untyped: AsyncResult<number> = await client.send<number>(
    'types.other.add',
    [1, 'two'],
  );
  const unknownResult: AsyncResult<unknown> =
    await client.send('types.other.ping');
  const dynamicName: string = 'types.' + 'other';
  await client.send(dynamicName, [1]);
  void [receipt, mailed, report, wrong, wrongValue, untyped, unknownResult];
}
