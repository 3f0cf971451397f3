import { Inject, Injectable } from '@nestjs/common';
import { TaskRevokedError } from '../client/errors';
import { RESOLVED_OPTIONS, RESULT_BACKEND } from '../options/tokens';
import { ResolvedOptions } from '../options/resolve-options';
import { TaskRequest, resultMeta, toPlainResult } from '../protocol';
import { TaskLifecycle } from '../lifecycle/task-lifecycle.service';
import { RunEnd } from '../lifecycle/task-observer';
import { RegisteredTask } from '../registry/registered-task';
import { bindArguments } from '../registry/bind-arguments';
import { TaskRegistry } from '../registry/task.registry';
import { ResultBackend } from '../results/result-backend';
import { Retry } from './errors';
import {
  RETRY_HEADER,
  RetryPolicy,
  withRetryHeader,
} from '../registry/retry-policy';
import { isAutoretried, retryDelayMs } from './retry-decision';
import { RunControl } from './run-control';
import { RunningTask } from './running-task';
import { runInTaskContext } from '../context/task-context.service';
import { armTimeLimits, timeLimitsFor } from './time-limits';

/** How one run ended. */
export type TaskOutcome = RunEnd;

/**
 * Runs one task request and says how it ended: in its task context, through Nest's
 * enhancers, within its time limits, deciding retry or failure from its policy.
 * Never throws. Shared by workers and eager mode.
 */
@Injectable()
export class TaskExecutor {
  constructor(
    private readonly registry: TaskRegistry,
    @Inject(RESULT_BACKEND) private readonly backend: ResultBackend,
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
    private readonly lifecycle: TaskLifecycle,
  ) {}

  find(name: string): RegisteredTask | undefined {
    return this.registry.get(name);
  }

  /** Every registered task (for `inspect registered`). */
  tasks(): RegisteredTask[] {
    return this.registry.all();
  }

  async run(
    task: RegisteredTask,
    request: TaskRequest,
    where: { queue: string | null; eager: boolean; control?: RunControl },
  ): Promise<TaskOutcome> {
    let args: unknown[];
    try {
      args = bindArguments(task.signature, request.args, request.kwargs);
    } catch (error) {
      // Arguments that do not fit: the task does not run, and no retry would help.
      return { kind: 'failure', error };
    }
    const control = where.control ?? new RunControl();
    const header = (
      request.message.headers as Record<string, unknown> | undefined
    )?.[RETRY_HEADER];
    const policy =
      header === undefined
        ? task.policy.retry
        : withRetryHeader(task.policy.retry, header);
    const current = new RunningTask(request, {
      queue: where.queue,
      eager: where.eager,
      control,
      policy,
      storeProgress: (meta) => this.storeProgress(request, meta),
    });
    const disarm = armTimeLimits(control, timeLimitsFor(task.policy, request));
    const withRequest = task.invokeWithRequest;
    const call = withRequest
      ? () => withRequest(request, args)
      : () => new Promise<unknown>((resolve) => resolve(task.invoke(...args)));
    const invoke = () => this.lifecycle.aroundRun(request, call);
    const running = this.registry.tracksTaskContext
      ? runInTaskContext(current, invoke)
      : invoke();
    let outcome: TaskOutcome;
    try {
      outcome = await new Promise<TaskOutcome>((resolve) => {
        control.whenAbandoned((reason) => resolve(abandonedOutcome(reason)));
        running.then(
          (value) => resolve(succeeded(value)),
          (error: unknown) => resolve(failed(error, policy, request)),
        );
      });
    } finally {
      disarm();
    }
    const closing = current.close();
    if (closing) await closing;
    return outcome;
  }

  private async storeProgress(
    request: TaskRequest,
    meta: unknown,
  ): Promise<void> {
    if (request.ignoreResult) return;
    const plain = toPlainResult(meta, 'the progress meta');
    await this.backend.store(
      resultMeta(request.id, 'PROGRESS', plain, {
        parentId: request.parentId,
        groupId: request.group,
      }),
      {
        replyTo: request.replyTo,
        expiresIn: this.options.resultExpiresSeconds,
      },
    );
  }
}

function succeeded(value: unknown): TaskOutcome {
  try {
    return { kind: 'success', value: toPlainResult(value, 'the result') };
  } catch (error) {
    return { kind: 'failure', error };
  }
}

/** A Retry asked for by the task, an automatic retry, or the end. */
function failed(
  error: unknown,
  policy: RetryPolicy,
  request: TaskRequest,
): TaskOutcome {
  if (error instanceof Retry)
    return { kind: 'retry', error: error.error ?? error, eta: error.eta };
  if (isAutoretried(policy, error) && request.retries < policy.maxRetries) {
    return {
      kind: 'retry',
      error,
      eta: new Date(Date.now() + retryDelayMs(policy, request.retries)),
    };
  }
  return { kind: 'failure', error };
}

/** Terminated: REVOKED. Hard time limit: a failure (TimeLimitExceeded), never retried. */
export function abandonedOutcome(reason: Error): TaskOutcome {
  if (reason instanceof TaskRevokedError)
    return { kind: 'revoked', reason: reason.reason };
  return { kind: 'failure', error: reason };
}
