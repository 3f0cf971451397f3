import { TaskRequest } from '../protocol';
import { RegisteredTask } from '../registry/registered-task';
import { RunControl } from './run-control';
import { TaskOutcome } from './task-executor.service';

/**
 * Where a worker runs a task function: in its own process (TaskExecutor) or in a child
 * process of its pool (ProcessPool). Either way it resolves with how the run ended and
 * never throws; `control` lets the worker give up on the run (hard limit, terminate).
 */
export interface TaskRunner {
  run(
    task: RegisteredTask,
    request: TaskRequest,
    where: { queue: string | null; eager: false; control: RunControl },
  ): Promise<TaskOutcome>;
}
