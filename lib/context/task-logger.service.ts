import {
  Inject,
  Injectable,
  Logger,
  LoggerService,
  Optional,
  Scope,
} from '@nestjs/common';
import { INQUIRER } from '@nestjs/core';
import { currentTask, taskLogContext } from './task-context.service';

/**
 * A logger for task code whose every line carries the running task: inside a task its
 * context is `name[id]` (`videos.transcode[3f2c...]`, Celery's task logger format),
 * elsewhere the name of the class that injected it. Lines go through Nest's logger, so
 * whatever the app installed writes them (ConsoleLogger, Celeriac's JsonLogger, which
 * turns the context into taskName and taskId fields, nestjs-pino, nest-winston).
 * Injecting it turns on the worker's tracking of the running task, as TaskContext does.
 *
 * ```ts
 * constructor(private readonly logger: TaskLogger) {}
 * @Task('videos.transcode')
 * transcode(id: string) {
 *   this.logger.log(`transcoding ${id}`);
 * }
 * ```
 */
@Injectable({ scope: Scope.TRANSIENT })
export class TaskLogger implements LoggerService {
  private readonly owner: string;

  constructor(@Optional() @Inject(INQUIRER) parent?: object) {
    const name = (parent as { constructor?: { name?: string } } | undefined)
      ?.constructor?.name;
    this.owner = name && name !== 'Object' ? name : 'Task';
  }

  /** The context lines get now: the running task's, else the owner's. */
  get context(): string {
    const task = currentTask();
    return task ? taskLogContext(task) : this.owner;
  }

  log(message: unknown): void {
    Logger.log(message, this.context);
  }

  error(message: unknown, stack?: string): void {
    if (stack === undefined) Logger.error(message, this.context);
    else Logger.error(message, stack, this.context);
  }

  warn(message: unknown): void {
    Logger.warn(message, this.context);
  }

  debug(message: unknown): void {
    Logger.debug(message, this.context);
  }

  verbose(message: unknown): void {
    Logger.verbose(message, this.context);
  }

  fatal(message: unknown): void {
    Logger.fatal(message, this.context);
  }
}
