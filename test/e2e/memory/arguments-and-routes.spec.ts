import { Injectable } from '@nestjs/common';
import { Arg, Kwargs, Task, TaskClient, TaskFailedError } from '../../../lib';
import { NotDataParameterError } from '../../../lib/registry/errors';
import { memoryApp } from '../../support/memory-app';

@Injectable()
class BillingTasks {
  @Task('billing.charge')
  charge(amount: number): number {
    return amount;
  }

  @Task('billing.refund')
  refund(amount: number): number {
    return -amount;
  }

  @Task({ name: 'billing.audit', queue: 'audit' })
  audit(): string {
    return 'audited';
  }

  @Task('mail.send')
  send(to: string): string {
    return to;
  }

  @Task('other.thing')
  thing(): string {
    return 'thing';
  }
}

@Injectable()
class ArgumentTasks {
  @Task('math.add')
  add(a: number, b: number): number {
    return a + b;
  }

  @Task('users.greet')
  greet(name: string, @Kwargs() options: { punctuation?: string }): string {
    return `Hello, ${name}${options.punctuation ?? '.'}`;
  }

  @Task('users.rename')
  rename(@Arg('user_id') id: string, name = 'anonymous'): string {
    return `${id}: ${name}`;
  }

  @Task('events.day')
  day(when: Date): { isDate: boolean; day: number } {
    return { isDate: when instanceof Date, day: when.getUTCDate() };
  }

  @Task('math.nan')
  nan(): number {
    return Number.NaN;
  }
}

class User {
  id = 'u1';
}

@Injectable()
class EntityTasks {
  @Task('users.load')
  load(user: User): string {
    return user.id;
  }
}

describe('routes', () => {
  const routes = [
    { 'billing.audit': 'never', 'billing.*': 'billing' },
    (name: string) => (name === 'mail.send' ? { queue: 'mail' } : null),
  ];

  it('send by name and by reference go where the routes say when the call names no queue', async () => {
    const { app, broker } = await memoryApp(
      { providers: [BillingTasks] },
      { routes },
    );
    const client = app.get(TaskClient);
    await client.send('billing.charge', [1]);
    await client.task(BillingTasks, 'refund').delay(2);
    await client.send('mail.send', ['ada@example.com']);
    await client.send('other.thing');
    await client.send('unknown.elsewhere', [1]); // not a task of this app: routed by name all the same
    expect(broker.size('billing')).toBe(2);
    expect(broker.size('mail')).toBe(1);
    expect(broker.size('celery')).toBe(2);
  });

  it("the call's queue and the task's own queue win over a route", async () => {
    const { app, broker } = await memoryApp(
      { providers: [BillingTasks] },
      { routes, defaultQueue: 'default' },
    );
    const client = app.get(TaskClient);
    await client.send('billing.charge', [1], { queue: 'chosen' });
    await client.task(BillingTasks, 'audit').delay();
    expect(broker.size('chosen')).toBe(1);
    expect(broker.size('audit')).toBe(1);
    expect(broker.size('never')).toBe(0);
  });

  it('a worker on the routed queue runs what was sent by name', async () => {
    const { app } = await memoryApp(
      { providers: [BillingTasks] },
      { routes, worker: { queues: ['billing'] } },
    );
    const client = app.get(TaskClient);
    const result = await client.send<number>('billing.charge', [7]);
    expect(await result.get({ timeout: 5 })).toBe(7);
  });
});

describe('arguments', () => {
  it('a Nest sender may pass kwargs, bound to parameters by name', async () => {
    const { app } = await memoryApp(
      { providers: [ArgumentTasks] },
      { worker: true },
    );
    const client = app.get(TaskClient);
    const sum = await client.send<number>('math.add', [], {
      kwargs: { b: 3, a: 2 },
    });
    expect(await sum.get({ timeout: 5 })).toBe(5);
    const renamed = await client.send<string>('users.rename', [], {
      kwargs: { user_id: 'u1' },
    });
    expect(await renamed.get({ timeout: 5 })).toBe('u1: anonymous');
  });

  it('the @Kwargs() argument of a call by reference travels as kwargs, as from Python', async () => {
    const { app, broker } = await memoryApp({ providers: [ArgumentTasks] });
    const client = app.get(TaskClient);
    await client
      .task(ArgumentTasks, 'greet')
      .delay('Ada', { punctuation: '!' });
    const stored = broker.take('celery');
    const message = JSON.parse(stored!.serialized) as { body: string };
    expect(JSON.parse(message.body)).toEqual([
      ['Ada'],
      { punctuation: '!' },
      expect.anything(),
    ]);
    const { app: worker } = await memoryApp(
      { providers: [ArgumentTasks] },
      { worker: true },
    );
    const greeting = await worker
      .get(TaskClient)
      .task(ArgumentTasks, 'greet')
      .applyAsync(['Ada', {}]);
    expect(await greeting.get({ timeout: 5 })).toBe('Hello, Ada.');
  });

  it('arguments that do not fit a task of this app are refused before anything is sent', async () => {
    const { app, broker } = await memoryApp({ providers: [ArgumentTasks] });
    const client = app.get(TaskClient);
    await expect(client.send('math.add', [1])).rejects.toThrow(
      "math.add() missing 1 required positional argument: 'b' (the task's parameters: math.add(a, b))",
    );
    await expect(client.send('math.add', [1, 2, 3])).rejects.toThrow(TypeError);
    await expect(
      client.send('math.add', [1], { kwargs: { c: 2 } }),
    ).rejects.toThrow("math.add() got an unexpected keyword argument 'c'");
    expect(broker.size('celery')).toBe(0);
  });

  it('a Date parameter receives a Date', async () => {
    const { app } = await memoryApp(
      { providers: [ArgumentTasks] },
      { worker: true },
    );
    const handle = app.get(TaskClient).task(ArgumentTasks, 'day');
    const result = await handle.delay(new Date('2026-03-14T10:00:00Z'));
    expect(await result.get({ timeout: 5 })).toEqual({ isDate: true, day: 14 });
  });

  it('a result that is not data fails with an error about the result', async () => {
    const { app } = await memoryApp(
      { providers: [ArgumentTasks] },
      { worker: true },
    );
    const result = await app.get(TaskClient).send('math.nan');
    const failure = await result.get({ timeout: 5 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TaskFailedError);
    expect(failure).toMatchObject({
      excType: 'EncodeError',
      excModule: 'kombu.exceptions',
    });
    expect((failure as Error).message).toContain('the result is NaN');
  });

  it('a parameter declared as a class fails the bootstrap, advising to pass an id', async () => {
    const opening = memoryApp({ providers: [EntityTasks] });
    await expect(opening).rejects.toBeInstanceOf(NotDataParameterError);
    await expect(opening).rejects.toThrow(/Pass the record's id instead/);
  });
});
