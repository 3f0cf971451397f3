import { Injectable, Module, Scope } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  DuplicateTaskError,
  ScopedTaskProviderError,
  Task,
  TaskClient,
  TaskQueueModule,
  TaskRegistry,
} from '../../../lib';
import { memoryApp } from '../../support/memory-app';
import { uniqueName } from '../../support/wait';

@Injectable()
class MailTasks {
  @Task()
  sendWelcome(userId: string): string {
    return `welcome ${userId}`;
  }
}

@Module({ providers: [MailTasks] })
class MailModule {}

class ReportTasks {
  constructor(private readonly prefix: string) {}

  @Task({ name: 'reports.build', queue: 'reports' })
  build(id: number): string {
    return `${this.prefix}-${id}`;
  }
}

abstract class Notifier {
  abstract notify(text: string): string;
}

class SmsNotifier extends Notifier {
  @Task('sms.notify')
  notify(text: string): string {
    return `sms:${text}`;
  }
}

class PingTasks {
  @Task('ping')
  ping(): string {
    return 'pong';
  }
}
const valueTasks = new PingTasks();

@Module({
  providers: [
    { provide: 'REPORTS', useFactory: () => new ReportTasks('r') },
    { provide: Notifier, useClass: SmsNotifier },
    { provide: 'PING', useValue: valueTasks },
  ],
})
class ReportsModule {}

describe('task discovery', () => {
  it('finds @Task methods in every module and provider kind', async () => {
    const { app } = await memoryApp(
      { imports: [MailModule, ReportsModule] },
      { worker: true },
    );
    const registry = app.get(TaskRegistry);
    // Celery's built-in tasks are registered in every app, as in Celery's app.tasks.
    expect(registry.names()).toEqual([
      'MailTasks.sendWelcome',
      'celery.backend_cleanup',
      'celery.chord_unlock',
      'celery.chunks',
      'celery.map',
      'celery.starmap',
      'ping',
      'reports.build',
      'sms.notify',
    ]);
    expect(registry.get('reports.build')).toMatchObject({
      className: 'ReportTasks',
      methodName: 'build',
    });
    const client = app.get(TaskClient);
    expect(
      await (
        await client.send('MailTasks.sendWelcome', ['u1'])
      ).get({ timeout: 5 }),
    ).toBe('welcome u1');
    expect(
      await (await client.send('sms.notify', ['hi'])).get({ timeout: 5 }),
    ).toBe('sms:hi');
    expect(await (await client.send('ping')).get({ timeout: 5 })).toBe('pong');
    // The factory-made instance is the one that runs: its state is there.
    const report = await client.send('reports.build', [7], { queue: 'celery' });
    expect(await report.get({ timeout: 5 })).toBe('r-7');
    await app.close();
  });

  it('fails the bootstrap when two handlers share a name, naming both classes', async () => {
    @Injectable()
    class First {
      @Task('dup.name')
      run(): void {}
    }
    @Injectable()
    class Second {
      @Task('dup.name')
      go(): void {}
    }
    const error = await memoryApp({ providers: [First, Second] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(DuplicateTaskError);
    expect((error as Error).message).toContain('First.run');
    expect((error as Error).message).toContain('Second.go');
  });

  it('says so when one task class is provided twice', async () => {
    @Injectable()
    class TwiceProvided {
      @Task('twice.run')
      run(): void {}
    }
    @Module({ providers: [TwiceProvided] })
    class OneModule {}
    @Module({ providers: [TwiceProvided] })
    class OtherModule {}
    const error = await memoryApp({ imports: [OneModule, OtherModule] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DuplicateTaskError);
    expect((error as Error).message).toMatch(
      /both times by TwiceProvided\.run.*provided twice/s,
    );
  });

  it('registers a task once when its provider is also reached by a useExisting alias', async () => {
    @Injectable()
    class AliasedTasks {
      @Task('aliased.run')
      run(n: number): number {
        return n * 2;
      }
    }
    const { app } = await memoryApp(
      {
        providers: [
          AliasedTasks,
          { provide: 'ALIASED', useExisting: AliasedTasks },
        ],
      },
      { worker: true },
    );
    expect(
      app
        .get(TaskRegistry)
        .names()
        .filter((name) => !name.startsWith('celery.')),
    ).toEqual(['aliased.run']);
    const result = await app.get(TaskClient).send('aliased.run', [21]);
    expect(await result.get({ timeout: 5 })).toBe(42);
    await app.close();
  });

  it('refuses @Task on a request-scoped provider with a clear error', async () => {
    @Injectable({ scope: Scope.REQUEST })
    class PerRequest {
      @Task('scoped.task')
      run(): void {}
    }
    const module = await Test.createTestingModule({
      imports: [
        TaskQueueModule.forRoot({ broker: `memory://${uniqueName('m')}` }),
      ],
      providers: [PerRequest],
    }).compile();
    const error = await module.init().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScopedTaskProviderError);
    expect((error as Error).message).toMatch(/PerRequest\.run.*singleton/s);
    // close() settles the failed init again: that rejection is the one just checked.
    await module.close().catch(() => undefined);
  });

  it('is configured through forRootAsync with injected config', async () => {
    const brokerName = uniqueName('async');
    @Module({
      providers: [
        { provide: 'CONFIG', useValue: { broker: `memory://${brokerName}` } },
      ],
      exports: ['CONFIG'],
    })
    class ConfigModule {}
    const module = await Test.createTestingModule({
      imports: [
        TaskQueueModule.forRootAsync({
          imports: [ConfigModule],
          useFactory: (config: { broker: string }) => ({
            broker: config.broker,
            worker: true,
          }),
          inject: ['CONFIG'],
        }),
        MailModule,
      ],
    }).compile();
    await module.init();
    const result = await module
      .get(TaskClient)
      .task(MailTasks, 'sendWelcome')
      .delay('u2');
    expect(await result.get({ timeout: 5 })).toBe('welcome u2');
    await module.close();
  });
});
