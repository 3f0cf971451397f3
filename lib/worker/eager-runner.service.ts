import { Injectable } from '@nestjs/common';
import { NotRegisteredError } from '../client/errors';
import { InlineRunner } from '../client/inline-runner';
import { TaskMessage, parseTaskMessage } from '../protocol';
import { TaskExecutor } from './task-executor.service';
import { TaskFinisher } from './task-finisher.service';

/**
 * Eager mode (Celery's task_always_eager): a sent task runs inline, its result stored
 * in the backend, so `get()` works as usual. A retry runs again at once (no wait), as
 * Celery's eager retry does; hooks run; nothing is dead-lettered. For users' unit tests.
 */
@Injectable()
export class EagerRunner implements InlineRunner {
  constructor(
    private readonly executor: TaskExecutor,
    private readonly finisher: TaskFinisher,
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
    const outcome = await this.executor.run(task, request, {
      queue: null,
      eager: true,
    });
    await this.finisher.finish(outcome, {
      request,
      task,
      queue: null,
      canDeadLetter: false,
      publishRetry: (_queue, retry) => this.run(retry),
    });
  }
}
