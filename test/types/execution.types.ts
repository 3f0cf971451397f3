/**
 * Compile-time checks of the execution API (run by `tsc --noEmit`, never executed):
 * a task that reads its context keeps plain typed parameters, and the options are typed.
 */
import {
  AsyncResult,
  CurrentTask,
  SendOptions,
  Task,
  TaskClient,
  TaskContext,
  TaskOptions,
  UnrecoverableError,
} from '../../lib';

class ReportTasks {
  constructor(private readonly taskContext: TaskContext) {}

  @Task({
    name: 'reports.build',
    maxRetries: 3,
    timeLimit: '5m',
    rateLimit: '10/m',
  })
  async build(reportId: number, format: 'pdf' | 'csv'): Promise<string> {
    const ctx: CurrentTask = this.taskContext.current;
    await ctx.progress({ reportId });
    if (ctx.retries < 1) ctx.retry({ countdown: 5 });
    if (format === 'csv') throw new UnrecoverableError('no csv');
    return `${reportId}.${format}`;
  }
}

export async function executionChecks(client: TaskClient): Promise<void> {
  const handle = client.task(ReportTasks, 'build');
  const result: AsyncResult<string> = await handle.applyAsync([7, 'pdf'], {
    maxRetries: 1,
    retryBackoff: 2,
    timeLimit: 30,
    softTimeLimit: '20s',
  });
  const progress: { reportId: number } | undefined = await result.progress<{
    reportId: number;
  }>();
  await result.revoke({ terminate: true });
  await client.revoke([result.id]);

  // @ts-expect-error the context is not a parameter: arguments stay (reportId, format)
  await handle.delay(7, 'pdf', {} as CurrentTask);
  // @ts-expect-error wrong argument type
  await handle.delay('7', 'pdf');
  // @ts-expect-error a rate limit is a string or a number
  const badRate: TaskOptions = { rateLimit: true };
  // @ts-expect-error retryJitter is a boolean
  const badJitter: SendOptions = { retryJitter: 'full' };
  const never: never = (null as unknown as CurrentTask).retry();
  void [progress, badRate, badJitter, never];
}
