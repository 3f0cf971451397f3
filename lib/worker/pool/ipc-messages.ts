import {
  JS_BUILTIN_ERROR_NAMES,
  ExceptionInfo,
  TaskMessage,
  errorToExceptionInfo,
} from '../../protocol';
import { TaskOutcome } from '../task-executor.service';

/**
 * What crosses between the worker and its pool's children, over Node's IPC channel as
 * JSON (the same data rule as the wire). `seq` numbers one run in the pool (a task id
 * may come twice).
 */
export type ToChild =
  | {
      t: 'run';
      seq: number;
      queue: string | null;
      message: TaskMessage;
      /** Report the child's resident memory after the run (only maxMemoryPerChild reads it). */
      rss?: true;
    }
  /** Stop the run: its signal aborts with `reason` (hard limit, terminate). */
  | { t: 'abort'; seq: number; reason: ErrorData }
  /** Finish nothing more: close the app and exit. */
  | { t: 'exit' };

export type FromChild =
  | { t: 'ready'; pid: number }
  /**
   * A run ended; `rss` is the child's resident memory after it, in bytes, when the run
   * asked for it (reading it costs about as much as a tiny task).
   */
  | { t: 'done'; seq: number; outcome: OutcomeData; rss?: number };

/** An error as Celery stores it, with its stack. */
export interface ErrorData {
  info: ExceptionInfo;
  stack: string | null;
}

export type OutcomeData =
  | { kind: 'success'; value: unknown }
  | { kind: 'retry'; error: ErrorData; eta: number }
  | { kind: 'failure'; error: ErrorData }
  | { kind: 'revoked'; reason: string };

/** JS's error classes that take a message alone (AggregateError takes a list first). */
const JS_ERRORS = new Set(
  [...JS_BUILTIN_ERROR_NAMES].filter((name) => name !== 'AggregateError'),
);

export function errorToData(error: unknown): ErrorData {
  return {
    info: errorToExceptionInfo(error),
    stack: error instanceof Error ? (error.stack ?? null) : null,
  };
}

/**
 * An Error that maps back to the same exception info: a JS error class of that name
 * when there is one (TypeError stays TypeError), else an Error carrying the name.
 */
export function errorFromData({ info, stack }: ErrorData): Error {
  const message = info.exc_message.map(String).join(', ');
  const error = JS_ERRORS.has(info.exc_type)
    ? new (globalThis as unknown as Record<string, ErrorConstructor>)[
        info.exc_type
      ](message)
    : Object.assign(new Error(message), { name: info.exc_type });
  Object.assign(error, { excModule: info.exc_module });
  if (stack !== null) error.stack = stack;
  return error;
}

export function outcomeToData(outcome: TaskOutcome): OutcomeData {
  switch (outcome.kind) {
    case 'success':
      return outcome;
    case 'retry':
      return {
        kind: 'retry',
        error: errorToData(outcome.error),
        eta: outcome.eta.getTime(),
      };
    case 'failure':
      return { kind: 'failure', error: errorToData(outcome.error) };
    case 'revoked':
      return outcome;
  }
}

export function outcomeFromData(data: OutcomeData): TaskOutcome {
  switch (data.kind) {
    case 'success':
      return { kind: 'success', value: data.value ?? null };
    case 'retry':
      return {
        kind: 'retry',
        error: errorFromData(data.error),
        eta: new Date(data.eta),
      };
    case 'failure':
      return { kind: 'failure', error: errorFromData(data.error) };
    case 'revoked':
      return data;
  }
}
