import {
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Task, TaskClient, TaskContext } from '../../../lib';
import { TaskRegistry } from '../../../lib/registry/task.registry';
import { memoryApp } from '../../support/memory-app';
import { sleep } from '../../support/wait';

/** Reads the running task's id from a property-injected TaskContext, after an await. */
@Injectable()
class Auditor {
  @Inject(TaskContext) private readonly taskContext!: TaskContext;

  async currentId(): Promise<string> {
    await sleep(1);
    return this.taskContext.current.id;
  }
}

@Injectable()
class AuditedTasks {
  constructor(private readonly auditor: Auditor) {}

  @Task('tracking.audited')
  audited(): Promise<string> {
    return this.auditor.currentId();
  }
}

/** An interceptor (a Nest injectable, not a provider) that reads the context. */
@Injectable()
class IdInterceptor implements NestInterceptor {
  constructor(private readonly taskContext: TaskContext) {}

  intercept(_context: ExecutionContext, next: CallHandler) {
    this.seen.push(this.taskContext.current.id);
    return next.handle();
  }

  static readonly seenIds: string[] = [];
  private readonly seen = IdInterceptor.seenIds;
}

@Injectable()
class InterceptedTasks {
  @Task('tracking.intercepted')
  @UseInterceptors(IdInterceptor)
  intercepted(): string {
    return 'done';
  }
}

/** No provider injects TaskContext: a ModuleRef lookup is all it has. */
@Injectable()
class PlainTasks {
  constructor(private readonly moduleRef: ModuleRef) {}

  @Task('tracking.plain')
  plain(n: number): { n: number; active: boolean } {
    const active = this.moduleRef.get(TaskContext, { strict: false }).active;
    return { n, active: active !== undefined };
  }
}

describe('tracking the running task for TaskContext', () => {
  it('is on when a provider has TaskContext injected into a property', async () => {
    const { app } = await memoryApp(
      { providers: [Auditor, AuditedTasks] },
      { worker: true },
    );
    expect(app.get(TaskRegistry).tracksTaskContext).toBe(true);
    const sent = await app.get(TaskClient).send('tracking.audited');
    expect(await sent.get({ timeout: 5 })).toBe(sent.id);
    await app.close();
  });

  it('is on when only an interceptor has TaskContext injected', async () => {
    const { app } = await memoryApp(
      { providers: [InterceptedTasks] },
      { worker: true },
    );
    expect(app.get(TaskRegistry).tracksTaskContext).toBe(true);
    const sent = await app.get(TaskClient).send('tracking.intercepted');
    expect(await sent.get({ timeout: 5 })).toBe('done');
    expect(IdInterceptor.seenIds).toContain(sent.id);
    await app.close();
  });

  it('is on when a factory provider injects TaskContext', async () => {
    const { app } = await memoryApp(
      {
        providers: [
          {
            provide: 'CURRENT_ID',
            inject: [TaskContext],
            useFactory: (taskContext: TaskContext) => () =>
              taskContext.current.id,
          },
        ],
      },
      {},
    );
    expect(app.get(TaskRegistry).tracksTaskContext).toBe(true);
    await app.close();
  });

  it('is off when nothing injects TaskContext, and tasks run as usual', async () => {
    const { app } = await memoryApp(
      { providers: [PlainTasks] },
      { worker: true },
    );
    expect(app.get(TaskRegistry).tracksTaskContext).toBe(false);
    const sent = await app.get(TaskClient).send('tracking.plain', [7]);
    expect(await sent.get({ timeout: 5 })).toEqual({ n: 7, active: false });
    await app.close();
  });
});
