import {
  ArgumentsHost,
  CallHandler,
  CanActivate,
  Catch,
  ExceptionFilter,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { Observable, map } from 'rxjs';
import {
  OnTaskFailure,
  OnTaskRetry,
  OnTaskSuccess,
  TASK_CONTEXT_TYPE,
  Task,
  TaskContext,
  TaskFailedError,
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

/** Lets a tenant's tasks run unless the tenant is suspended; counts what it was asked. */
@Injectable()
class TenantGuard implements CanActivate {
  asked: Array<{ type: string; args: unknown[]; taskId: string | undefined }> =
    [];

  constructor(private readonly taskContext: TaskContext) {}

  canActivate(context: ExecutionContext): boolean {
    const args = context.getArgs();
    this.asked.push({
      type: context.getType(),
      args,
      taskId: this.taskContext.active?.id,
    });
    return args[0] !== 'suspended';
  }
}

@Injectable()
class InvoiceTasks {
  invoiced: string[] = [];

  /** Retried on any error: a refusal must still not be retried. */
  @Task({ name: 'nest.invoice', maxRetries: 3, retryDelay: '10ms' })
  @UseGuards(TenantGuard)
  invoice(tenant: string): string {
    this.invoiced.push(tenant);
    return `invoiced ${tenant}`;
  }
}

/** A global guard (APP_GUARD) written for HTTP: it lets through what is not HTTP. */
@Injectable()
class HttpOnlyGuard implements CanActivate {
  types: string[] = [];

  canActivate(context: ExecutionContext): boolean {
    this.types.push(context.getType());
    return context.getType() !== 'http';
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

    it('applies guards on the task: a refused task is FAILURE ForbiddenException, not run and not retried', async () => {
      const app = await fixture().app([TenantGuard, InvoiceTasks, TaskAudit]);
      const client = fixture().client(app);
      const allowed = await client.send('nest.invoice', ['acme']);
      expect(await allowed.get({ timeout: 10 })).toBe('invoiced acme');

      const refused = await client.send('nest.invoice', ['suspended']);
      const error = (await refused
        .get({ timeout: 10 })
        .catch((e: unknown) => e)) as TaskFailedError;
      expect(error).toBeInstanceOf(TaskFailedError);
      // What Nest throws when a guard says no, as an HTTP client would get it (403).
      expect(error).toMatchObject({
        excType: 'ForbiddenException',
        excMessage: 'Forbidden resource',
      });
      expect(await refused.state()).toBe('FAILURE');
      expect(app.get(InvoiceTasks).invoiced).toEqual(['acme']);
      // Asked once per task: the refusal is final, whatever the retry policy says.
      const guard = app.get(TenantGuard);
      expect(guard.asked).toEqual([
        { type: TASK_CONTEXT_TYPE, args: ['acme'], taskId: allowed.id },
        { type: TASK_CONTEXT_TYPE, args: ['suspended'], taskId: refused.id },
      ]);
      // The failure hooks hear of it, with no retry before.
      const audit = app.get(TaskAudit);
      await waitUntil(
        () => audit.events.length === 2,
        10_000,
        'the failure hook',
      );
      expect(audit.events).toEqual([
        'success nest.invoice ["acme"] -> "invoiced acme"',
        'failure nest.invoice 0 Forbidden resource',
      ]);
    });

    it('applies global guards (APP_GUARD) to tasks too', async () => {
      const app = await fixture().app([
        ...providers,
        HttpOnlyGuard,
        { provide: APP_GUARD, useExisting: HttpOnlyGuard },
      ]);
      const sum = await fixture()
        .client(app)
        .task(EnhancedTasks, 'add')
        .delay(2, 2);
      expect(await sum.get({ timeout: 10 })).toBe(4);
      expect(app.get(HttpOnlyGuard).types).toEqual([TASK_CONTEXT_TYPE]);
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
