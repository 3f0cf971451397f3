import { Controller, Get, Param } from '@nestjs/common';
import { TaskClient, TaskState } from '../../../lib';

export interface TaskView {
  id: string;
  state: TaskState;
  result?: unknown;
  error?: { type: string; message: string };
}

/** Any task's state, by id: what a front end polls. */
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TaskClient) {}

  @Get(':id')
  async task(@Param('id') id: string): Promise<TaskView> {
    const meta = await this.tasks.result(id).meta();
    if (!meta) return { id, state: 'PENDING' };
    if (meta.status === 'SUCCESS')
      return { id, state: meta.status, result: meta.result };
    if (
      meta.status === 'FAILURE' ||
      meta.status === 'REVOKED' ||
      meta.status === 'RETRY'
    ) {
      const info = meta.result as {
        exc_type?: string;
        exc_message?: unknown[];
      } | null;
      return {
        id,
        state: meta.status,
        error: {
          type: info?.exc_type ?? 'Error',
          message: (info?.exc_message ?? []).map(String).join(', '),
        },
      };
    }
    return { id, state: meta.status, result: meta.result ?? undefined };
  }
}
