import { Inject, Injectable } from '@nestjs/common';
import { NotRegisteredError } from '../client/errors';
import { RESOLVED_OPTIONS, RESULT_BACKEND } from '../module/tokens';
import { ResolvedOptions } from '../module/resolve-options';
import { TaskMessage, parseTaskMessage } from '../protocol';
import { ResultBackend } from '../results/result-backend';
import { TaskExecutor } from './task-executor';

/**
 * Eager mode (Celery's task_always_eager): a sent task runs inline, its result stored
 * in the backend, so `get()` works as usual. For users' own unit tests.
 */
@Injectable()
export class EagerRunner {
  constructor(
    private readonly executor: TaskExecutor,
    @Inject(RESULT_BACKEND) private readonly backend: ResultBackend,
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
  ) {}

  async run(message: TaskMessage): Promise<void> {
    const request = parseTaskMessage(
      JSON.parse(JSON.stringify(message)) as TaskMessage,
    );
    const task = this.executor.find(request.name);
    if (!task)
      throw new NotRegisteredError(
        request.name,
        ' in this process (eager mode runs tasks inline)',
      );
    const meta = await this.executor.execute(task, request);
    if (!request.ignoreResult) {
      await this.backend.store(meta, {
        expiresIn: this.options.resultExpiresSeconds,
      });
    }
  }
}
