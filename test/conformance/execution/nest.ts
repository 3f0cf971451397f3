import {
  ArgumentsHost,
  CallHandler,
  Catch,
  ExceptionFilter,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Observable, map } from 'rxjs';
import {
  OnTaskFailure,
  OnTaskRetry,
  OnTaskSuccess,
  TASK_CONTEXT_TYPE,
  Task,
  TaskContext,
  TaskFailureEvent,
  TaskRetryEvent,
  TaskSuccessEvent,
  UnrecoverableError,
} from '../../../lib';
import { waitUntil } from '../../support/wait';
import { ExecutionHarness, useExecutionFixture } from './harness';

/** What an interceptor saw: the context type, the task's arguments, its task id. */
@Injectable()
class Recorder {
  seen: Array<{
    by: string;
    type: string;
    handler: string;
    args: unknown[];
    taskId: string | undefined;
  }> = [];
}

@Injectable()
class TracingInterceptor implements NestInterceptor {
  constructor(
    private readonly recorder: Recorder,
    private readonly taskContext: TaskContext,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    this.recorder.seen.push({
      by: 'tracing',
      type: context.getType(),
      handler: context.getHandler().name,
      args: context.getArgs(),
      taskId: this.taskContext.active?.id,
    });
    return next.handle();
  }
}

@Injectable()
class WrapInterceptor implements NestInterceptor {
  intercept(
    _context: ExecutionContext,
    next: CallHandler,
  ): Observable<unknown> {
    return next.handle().pipe(map((value: unknown) => ({ wrapped: value })));
  }
}

class PaymentGatewayDown extends Error {}

/** Turns a domain error into one that is never retried. */
@Catch(PaymentGatewayDown)
class GatewayFilter implements ExceptionFilter {
  catch(exception: PaymentGatewayDown, _host: ArgumentsHost): never {
    throw new UnrecoverableError(`gateway: ${exception.message}`);
  }
}

@Injectable()
@UseInterceptors(TracingInterceptor)
class EnhancedTasks {
  charges = 0;

  @Task('nest.add')
  add(a: number, b: number): number {
    return a + b;
  }

  @Task('nest.wrapped')
  @UseInterceptors(WrapInterceptor)
  wrapped(value: string): string {
    return value;
  }

  @Task({ name: 'nest.charge', maxRetries: 5, retryDelay: '10ms' })
  @UseFilters(GatewayFilter)
  charge(): never {
    this.charges++;
    throw new PaymentGatewayDown('503');
  }
}

@Injectable()
class HookTasks {
  private failures = 0;

  @Task({ name: 'hooks.ok' })
  ok(n: number): number {
    return n * 2;
  }

  @Task({ name: 'hooks.flaky', maxRetries: 1, retryDelay: '10ms' })
  flaky(): never {
    throw new Error(`failure ${this.failures++}`);
  }
}

/** Lifecycle hooks on an ordinary provider. */
@Injectable()
class TaskAudit {
  events: string[] = [];

  @OnTaskSuccess()
  succeeded(event: TaskSuccessEvent): void {
    this.events.push(
      `success ${event.name} ${JSON.stringify(event.args)} -> ${JSON.stringify(event.result)}`,
    );
  }

  @OnTaskRetry('hooks.flaky')
  retried(event: TaskRetryEvent): void {
    this.events.push(
      `retry ${event.name} ${event.retries} ${(event.error as Error).message}`,
    );
  }

  @OnTaskFailure()
  async failed(event: TaskFailureEvent): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.events.push(
      `failure ${event.name} ${event.retries} ${(event.error as Error).message}`,
    );
  }

  @OnTaskSuccess('hooks.ok')
  broken(): never {
    throw new Error('a hook that fails changes nothing');
  }
}

export function describeNestIdioms(harness: ExecutionHarness): void {
  describe('Nest enhancers and hooks', () => {
    const fixture = useExecutionFixture(harness);
    const providers = [
      Recorder,
      TracingInterceptor,
      WrapInterceptor,
      EnhancedTasks,
    ];

    it('applies interceptors on the class and the method, inside the task context', async () => {
      const app = await fixture().app(providers);
      const client = fixture().client(app);
      const sum = await client.task(EnhancedTasks, 'add').delay(2, 3);
      expect(await sum.get({ timeout: 10 })).toBe(5);
      expect(
        await (await client.send('nest.wrapped', ['v'])).get({ timeout: 10 }),
      ).toEqual({ wrapped: 'v' });
      expect(app.get(Recorder).seen).toEqual([
        {
          by: 'tracing',
          type: TASK_CONTEXT_TYPE,
          handler: 'add',
          args: [2, 3],
          taskId: sum.id,
        },
        expect.objectContaining({ handler: 'wrapped', args: ['v'] }),
      ]);
    });

    it('applies global interceptors (APP_INTERCEPTOR) to tasks too', async () => {
      const app = await fixture().app([
        ...providers,
        { provide: APP_INTERCEPTOR, useClass: WrapInterceptor },
      ]);
      const sum = await fixture()
        .client(app)
        .task(EnhancedTasks, 'add')
        .delay(1, 1);
      expect(await sum.get({ timeout: 10 })).toEqual({ wrapped: 2 });
    });

    it('applies exception filters declared on the task', async () => {
      const app = await fixture().app(providers);
      const result = await fixture().client(app).send('nest.charge');
      await expect(result.get({ timeout: 10 })).rejects.toMatchObject({
        excType: 'UnrecoverableError',
        excMessage: 'gateway: 503',
      });
      expect(app.get(EnhancedTasks).charges).toBe(1);
    });

    it('calls @OnTaskSuccess, @OnTaskRetry and @OnTaskFailure methods', async () => {
      const app = await fixture().app([HookTasks, TaskAudit]);
      const client = fixture().client(app);
      expect(
        await (await client.send('hooks.ok', [21])).get({ timeout: 10 }),
      ).toBe(42);
      await expect(
        (await client.send('hooks.flaky')).get({ timeout: 10 }),
      ).rejects.toMatchObject({
        excMessage: 'failure 1',
      });
      // Hooks run after the state is stored (as Celery's on_failure), before the ack.
      const audit = app.get(TaskAudit);
      await waitUntil(
        () => audit.events.length === 3,
        10_000,
        'the failure hook',
      );
      expect(audit.events).toEqual([
        'success hooks.ok [21] -> 42',
        'retry hooks.flaky 0 failure 0',
        'failure hooks.flaky 1 failure 1',
      ]);
    });
  });
}
