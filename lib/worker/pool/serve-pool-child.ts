import { INestApplicationContext } from '@nestjs/common';
import { TaskMessage, TaskRequest, parseTaskMessage } from '../../protocol';
import { RegisteredTask } from '../../registry/registered-task';
import { RunControl } from '../run-control';
import { TaskExecutor, TaskOutcome } from '../task-executor.service';
import {
  FromChild,
  ToChild,
  errorFromData,
  outcomeToData,
} from './ipc-messages';
import { watchParent } from './parent-watch';

/**
 * The task side of a pool's child: runs what the worker sends, by name, through the
 * app's TaskExecutor (task context, enhancers, soft limit, retry decisions), and sends
 * back how each run ended. The worker keeps the hard limit: it kills this process.
 * Signals are the worker's to handle (a terminal's Ctrl-C reaches the whole group); a
 * lost IPC channel (the worker died) ends the child, and a thread kills it if its main
 * thread is too busy to notice (see watchParent).
 */
export function servePoolChild(app: INestApplicationContext): void {
  const executor = app.get(TaskExecutor);
  const running = new Map<number, RunControl>();
  const send = (message: FromChild) => process.send!(message);
  let exiting = false;
  const exit = async () => {
    if (exiting) return;
    exiting = true;
    try {
      await app.close();
    } finally {
      process.exit(0);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.on(signal, () => undefined);
  process.on('disconnect', () => void exit());
  watchParent();
  process.on('message', (message: ToChild) => {
    switch (message.t) {
      case 'run': {
        const control = new RunControl();
        running.set(message.seq, control);
        void runOne(executor, message.message, message.queue, control).then(
          (outcome) => {
            running.delete(message.seq);
            if (!process.connected) return;
            send({
              t: 'done',
              seq: message.seq,
              outcome: outcomeToData(outcome),
              rss: message.rss ? process.memoryUsage.rss() : undefined,
            });
          },
        );
        return;
      }
      case 'abort':
        running.get(message.seq)?.interrupt(errorFromData(message.reason));
        return;
      case 'exit':
        void exit();
        return;
    }
  });
  send({ t: 'ready', pid: process.pid });
}

/** Runs one message; never throws. The hard limit is left out: the worker enforces it. */
async function runOne(
  executor: TaskExecutor,
  message: TaskMessage,
  queue: string | null,
  control: RunControl,
): Promise<TaskOutcome> {
  let request: TaskRequest;
  let task: RegisteredTask | undefined;
  try {
    request = parseTaskMessage(message);
    task = executor.find(request.name);
  } catch (error) {
    return { kind: 'failure', error };
  }
  if (!task) {
    return {
      kind: 'failure',
      error: new Error(
        `task ${request.name} is not registered in the pool's child (is it the same module?)`,
      ),
    };
  }
  const softOnly: RegisteredTask = {
    ...task,
    policy: { ...task.policy, timeLimit: null },
  };
  const softRequest: TaskRequest = {
    ...request,
    timeLimit: { hard: null, soft: request.timeLimit.soft },
  };
  return executor.run(softOnly, softRequest, { queue, eager: false, control });
}
