import { Injectable } from '@nestjs/common';
import {
  ResultMeta,
  TaskRequest,
  errorToExceptionInfo,
  resultMeta,
  toPlainData,
} from '../protocol';
import { RegisteredTask } from '../registry/registered-task';
import { TaskRegistry } from '../registry/task-registry';

/** Celery's shape for a task name no worker knows. */
export function notRegisteredMeta(request: TaskRequest): ResultMeta {
  return resultMeta(
    request.id,
    'FAILURE',
    {
      exc_type: 'NotRegistered',
      exc_message: [request.name],
      exc_module: 'celery.exceptions',
    },
    { parentId: request.parentId, groupId: request.group },
  );
}

/**
 * Runs one task request against the registry and says how it ended, as Celery's
 * result meta. Shared by workers and eager mode.
 */
@Injectable()
export class TaskExecutor {
  constructor(private readonly registry: TaskRegistry) {}

  find(name: string): RegisteredTask | undefined {
    return this.registry.get(name);
  }

  /** Runs the task; a throw becomes FAILURE, never an exception out of here. */
  async execute(
    task: RegisteredTask,
    request: TaskRequest,
  ): Promise<ResultMeta> {
    const ids = { parentId: request.parentId, groupId: request.group };
    try {
      const value: unknown = await task.run(...argumentsFor(request));
      return resultMeta(
        request.id,
        'SUCCESS',
        toPlainData(value, 'the result'),
        ids,
      );
    } catch (error) {
      return resultMeta(request.id, 'FAILURE', errorToExceptionInfo(error), {
        ...ids,
        traceback: error instanceof Error ? (error.stack ?? null) : null,
      });
    }
  }
}

/**
 * Positional arguments, then the keyword arguments as one last object when a caller
 * (Python, usually) sent some. See docs/interop.md.
 */
function argumentsFor(request: TaskRequest): unknown[] {
  return Object.keys(request.kwargs).length > 0
    ? [...request.args, request.kwargs]
    : request.args;
}
