import { Injectable, Logger } from '@nestjs/common';
import { TaskHookKind } from '../decorators/task-hooks.decorator';

/** What every hook event says about the task. */
export interface TaskEvent {
  taskId: string;
  name: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  /** Retries before this run. */
  retries: number;
  /** The queue it ran from; null in eager mode. */
  queue: string | null;
}

/** What `@OnTaskSuccess` hooks get: the task and its result. */
export interface TaskSuccessEvent extends TaskEvent {
  result: unknown;
}

/** What `@OnTaskFailure` hooks get: the task, the error of its last run, and whether it was dead-lettered. */
export interface TaskFailureEvent extends TaskEvent {
  error: unknown;
  /** True when the message went to the dead letters. */
  deadLettered: boolean;
}

/** What `@OnTaskRetry` hooks get: the task, the error that caused the retry, and when it runs again. */
export interface TaskRetryEvent extends TaskEvent {
  error: unknown;
  /** When it runs again. */
  eta: Date;
}

interface EventOf {
  success: TaskSuccessEvent;
  failure: TaskFailureEvent;
  retry: TaskRetryEvent;
}

interface Hook {
  tasks: ReadonlySet<string> | null;
  label: string;
  call: (event: TaskEvent) => unknown;
}

/** The @OnTaskSuccess / @OnTaskFailure / @OnTaskRetry methods found at bootstrap. */
@Injectable()
export class TaskHooks {
  private readonly logger = new Logger('TaskHooks');
  private readonly hooks: Record<TaskHookKind, Hook[]> = {
    success: [],
    failure: [],
    retry: [],
  };

  register(
    kind: TaskHookKind,
    tasks: string[] | null,
    label: string,
    call: (event: TaskEvent) => unknown,
  ): void {
    this.hooks[kind].push({
      tasks: tasks ? new Set(tasks) : null,
      label,
      call,
    });
  }

  /** True when some hook listens to `kind` events of task `name` (no event is built otherwise). */
  listens(kind: TaskHookKind, name: string): boolean {
    return this.hooks[kind].some((hook) => !hook.tasks || hook.tasks.has(name));
  }

  /** Runs the hooks of `kind` for this event, together; their errors are logged. */
  async emit<K extends TaskHookKind>(
    kind: K,
    event: EventOf[K],
  ): Promise<void> {
    const hooks = this.hooks[kind].filter(
      (hook) => !hook.tasks || hook.tasks.has(event.name),
    );
    await Promise.all(
      hooks.map(async (hook) => {
        try {
          await hook.call(event);
        } catch (error) {
          this.logger.error(
            `Hook ${hook.label} failed on ${kind} of ${event.name}[${event.taskId}]: ${String(error)}`,
          );
        }
      }),
    );
  }
}
