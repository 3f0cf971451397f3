import { TaskObserver, RunEnd } from '../lifecycle/task-observer';
import {
  ARGSREPR_MAX_LENGTH,
  TaskRequest,
  errorToExceptionInfo,
  pythonRepr,
  safeRepr,
} from '../protocol';
import { EventDispatcher } from './event-dispatcher';

/**
 * A worker's task events, as Celery's Request sends them: `task-received`,
 * `task-started`, `task-succeeded` / `task-failed` / `task-retried` / `task-revoked`,
 * `task-rejected`. Added to the lifecycle only while task events are on.
 */
export class TaskEventObserver implements TaskObserver {
  constructor(private readonly dispatcher: EventDispatcher) {}

  received(request: TaskRequest): void {
    const { headers } = request.message;
    this.dispatcher.send('task-received', {
      uuid: request.id,
      name: request.name,
      args: headers.argsrepr ?? safeRepr(request.args),
      kwargs: headers.kwargsrepr ?? safeRepr(request.kwargs),
      root_id: request.rootId,
      parent_id: request.parentId,
      retries: request.retries,
      eta: headers.eta ?? null,
      expires: headers.expires ?? null,
    });
  }

  started(request: TaskRequest): void {
    this.dispatcher.send('task-started', { uuid: request.id });
  }

  finished(request: TaskRequest, end: RunEnd, runtimeMs: number): void {
    const uuid = request.id;
    switch (end.kind) {
      case 'success':
        this.dispatcher.send('task-succeeded', {
          uuid,
          result: resultRepr(end.value),
          runtime: runtimeMs / 1000,
        });
        return;
      case 'failure':
        this.dispatcher.send('task-failed', {
          uuid,
          exception: exceptionRepr(end.error),
          traceback: tracebackOf(end.error),
        });
        return;
      case 'retry':
        this.dispatcher.send('task-retried', {
          uuid,
          exception: exceptionRepr(end.error),
          traceback: tracebackOf(end.error),
        });
        return;
      case 'revoked':
        this.dispatcher.send('task-revoked', {
          uuid,
          terminated: true,
          signum: null,
          expired: false,
        });
        return;
    }
  }

  revoked(request: TaskRequest, reason: 'expired' | 'revoked'): void {
    this.dispatcher.send('task-revoked', {
      uuid: request.id,
      terminated: false,
      signum: null,
      expired: reason === 'expired',
    });
  }

  rejected(request: TaskRequest | undefined): void {
    if (!request) return; // a message that did not decode has no id to tell
    this.dispatcher.send('task-rejected', { uuid: request.id, requeue: false });
  }
}

/** Celery's `saferepr` of the return value, at most 1024 characters. */
function resultRepr(value: unknown): string {
  if (value === undefined) return 'None';
  try {
    return safeRepr(value, { maxLength: ARGSREPR_MAX_LENGTH });
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Python's repr of the exception: `ValueError('bad input')`. */
export function exceptionRepr(error: unknown): string {
  const info = errorToExceptionInfo(error);
  const args = Array.isArray(info.exc_message)
    ? info.exc_message
    : [info.exc_message];
  return `${info.exc_type}(${args.map((arg) => pythonRepr(arg)).join(', ')})`;
}

function tracebackOf(error: unknown): string | null {
  return error instanceof Error ? (error.stack ?? null) : null;
}
