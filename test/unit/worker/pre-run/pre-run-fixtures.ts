import { randomUUID } from 'node:crypto';
import {
  TaskMessageInput,
  TaskRequest,
  buildTaskMessage,
  parseTaskMessage,
} from '../../../../lib/protocol';
import { TaskOptions } from '../../../../lib/options/task-options';
import { RegisteredTask } from '../../../../lib/registry/registered-task';
import { resolveTaskPolicy } from '../../../../lib/registry/task-policy';
import { signatureOf } from '../../../../lib/registry/task-signature';
import { Delivery } from '../../../../lib/transports/transport';
import { PreRunJob } from '../../../../lib/worker/pre-run/pre-run-step';

/** A task request as a worker reads it from a message. */
export function request(input: Partial<TaskMessageInput> = {}): TaskRequest {
  return parseTaskMessage(
    buildTaskMessage({
      name: 'tests.pre-run',
      id: randomUUID(),
      args: [],
      kwargs: {},
      origin: 'tests',
      ...input,
    }),
  );
}

/** A registered task with the given options (none runs here: the checks only read it). */
export function task(options: Omit<TaskOptions, 'name'> = {}): RegisteredTask {
  const metadata = { name: 'tests.pre-run', ...options };
  const fail = () => {
    throw new Error('a pre-run check must not run the task');
  };
  return {
    name: metadata.name,
    options: metadata,
    className: 'PreRunTasks',
    methodName: 'run',
    run: fail,
    invoke: fail,
    signature: signatureOf(metadata.name, []),
    policy: resolveTaskPolicy(metadata, {}, true),
  };
}

/** A delivery no check may settle: settling is the worker's job. */
export function delivery(): Delivery {
  const refuse = () => Promise.reject(new Error('a check must not settle'));
  return {
    queue: 'tests',
    message: undefined,
    redelivered: false,
    ack: refuse,
    requeue: refuse,
    deadLetter: refuse,
    defer: refuse,
  };
}

/** A job for the checks; `registered` null when the worker has no such task. */
export function job(
  req: TaskRequest = request(),
  registered: RegisteredTask | null = task(),
): PreRunJob {
  return { delivery: delivery(), request: req, task: registered ?? undefined };
}
