import { TaskObserver, RunEnd } from '../lifecycle/task-observer';
import {
  ARGSREPR_MAX_LENGTH,
  TaskRequest,
  errorToExceptionInfo,
  pythonRepr,
  safeRepr,
} from '../protocol';
import { EventDispatcher, taskEventType } from './event-dispatcher';
import { JsonFragment, jsonKey } from '../protocol/event-json-writer';

/**
 * A worker's task events, as Celery's Request sends them: `task-received`,
 * `task-started`, `task-succeeded` / `task-failed` / `task-retried` / `task-revoked`,
 * `task-rejected`. Added to the lifecycle only while task events are on.
 */
export class TaskEventObserver implements TaskObserver {
  constructor(private readonly dispatcher: EventDispatcher) {}

  // The three events every task sends are written piece by piece, no object each:
  // each fragment closes the string before it, names the next field and opens its
  // string (`","name":"`). What could throw (a repr) is worked out before the event
  // is begun, so that a list never holds half an event. The rarer events are
  // written from objects.

  received(request: TaskRequest): void {
    const { headers } = request.message;
    // Everything that could throw before the event is begun: none of it half-written.
    const args = reprText(headers.argsrepr, request.args);
    const kwargs = reprText(headers.kwargsrepr, request.kwargs);
    const writer = this.dispatcher
      .taskEvent(RECEIVED)
      .text(request.id)
      .fragment(NAME)
      .text(request.name)
      .fragment(ARGS)
      .text(args)
      .fragment(KWARGS)
      .text(kwargs)
      .fragment(ROOT_ID)
      .stringOrNull(request.rootId);
    if (
      request.parentId === null &&
      request.retries === 0 &&
      headers.eta == null &&
      headers.expires == null
    ) {
      // Most tasks: a first run, sent by no task, neither delayed nor expiring.
      writer.fragment(FIRST_RUN_REST).close();
      return;
    }
    writer
      .fragment(PARENT_ID)
      .stringOrNull(request.parentId)
      .fragment(RETRIES)
      .number(request.retries)
      .fragment(ETA)
      .stringOrNull(headers.eta)
      .fragment(EXPIRES)
      .stringOrNull(headers.expires)
      .close();
  }

  started(request: TaskRequest): void {
    this.dispatcher.taskEvent(STARTED).text(request.id).fragment(END).close();
  }

  finished(request: TaskRequest, end: RunEnd, runtimeMs: number): void {
    const uuid = request.id;
    switch (end.kind) {
      case 'success': {
        const result = resultRepr(end.value);
        this.dispatcher
          .taskEvent(SUCCEEDED)
          .text(uuid)
          .fragment(RESULT)
          .text(result)
          .fragment(RUNTIME)
          .seconds(runtimeMs)
          .close();
        return;
      }
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

// The busy events start with their uuid: the type's fragment opens its string.
const RECEIVED = taskEventType('task-received', ',"uuid":"');
const STARTED = taskEventType('task-started', ',"uuid":"');
const SUCCEEDED = taskEventType('task-succeeded', ',"uuid":"');
const NAME = new JsonFragment('","name":"');
const ARGS = new JsonFragment('","args":"');
const KWARGS = new JsonFragment('","kwargs":"');
const ROOT_ID = new JsonFragment('","root_id":');
const PARENT_ID = jsonKey('parent_id');
const FIRST_RUN_REST = new JsonFragment(
  ',"parent_id":null,"retries":0,"eta":null,"expires":null',
);
const RETRIES = jsonKey('retries');
const ETA = jsonKey('eta');
const EXPIRES = jsonKey('expires');
const RESULT = new JsonFragment('","result":"');
const RUNTIME = new JsonFragment('","runtime":');
const END = new JsonFragment('"');

/** The message's `argsrepr` (or `kwargsrepr`), or Celery's saferepr of the values when it has none. */
function reprText(repr: unknown, values: unknown): string {
  return typeof repr === 'string' ? repr : safeRepr(values);
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
