import { ExceptionInfo, exceptionMessage } from '../protocol';

/** `get()` of a task that failed: carries the task's error type and message. */
export class TaskFailedError extends Error {
  override readonly name = 'TaskFailedError';
  /** The task's error type, e.g. `ValueError`, `NotRegistered`, `TypeError`. */
  readonly excType: string;
  readonly excMessage: string;
  readonly excModule: string;
  constructor(
    readonly taskId: string,
    info: ExceptionInfo,
    readonly traceback: string | null,
  ) {
    const text = exceptionMessage(info);
    super(`Task ${taskId} failed: ${info.exc_type}: ${text}`);
    this.excType = info.exc_type;
    this.excMessage = text;
    this.excModule = info.exc_module;
  }
}

/** `get()` of a task that was revoked or expired before it ran. */
export class TaskRevokedError extends Error {
  override readonly name = 'TaskRevokedError';
  constructor(
    readonly taskId: string,
    readonly reason: string,
  ) {
    super(`Task ${taskId} was revoked: ${reason}`);
  }
}

/** `get()` ran out of time before the task was ready. */
export class TaskTimeoutError extends Error {
  override readonly name = 'TaskTimeoutError';
  constructor(
    readonly taskId: string,
    readonly timeoutMs: number,
  ) {
    super(`Task ${taskId} was not ready within ${timeoutMs / 1000} s`);
  }
}

/** `get()` of a task sent with ignoreResult: nothing will ever be stored. */
export class ResultIgnoredError extends Error {
  override readonly name = 'ResultIgnoredError';
  constructor(readonly taskId: string) {
    super(
      `Task ${taskId} was sent with ignoreResult: its result is not stored, so get() cannot wait for it`,
    );
  }
}

/** A task reference or a name that names no registered task (eager mode, typed handles). */
export class NotRegisteredError extends Error {
  override readonly name = 'NotRegistered';
  readonly excModule = 'celery.exceptions';
  constructor(
    readonly taskName: string,
    detail = '',
  ) {
    super(`Task "${taskName}" is not registered${detail}`);
  }
}

/** Revoke needs the broker's control bus, which this broker does not have (yet). */
export class RevokeNotSupportedError extends Error {
  override readonly name = 'RevokeNotSupportedError';
  constructor(brokerKind: string) {
    super(
      `revoke needs a control bus to reach the workers, and the ${brokerKind} transport has none ` +
        `(see ControlBus in lib/transports/control-bus.ts)`,
    );
  }
}

/** FleetControl on a broker without remote control (none of memory, Redis, AMQP lacks it). */
export class NoControlBusError extends Error {
  override readonly name = 'NoControlBusError';
  constructor() {
    super(
      'this broker has no remote control (pidbox): FleetControl cannot reach workers',
    );
  }
}

/** A `routes` entry that gives no queue: thrown at bootstrap, or by a send for a route function. */
export class InvalidRouteError extends Error {
  override readonly name = 'InvalidRouteError';
}

/**
 * A workflow that cannot be sent as given: a chord on a result backend without a chord
 * counter (Celery's `rpc://` refuses chords too), or a canvas shape Celeriac does not
 * send. Thrown before any part is sent.
 */
export class CanvasError extends Error {
  override readonly name = 'CanvasError';
}

/** The broker cannot do what QueueAdmin was asked (read a depth, purge a queue). */
export class QueueAdminNotSupportedError extends Error {
  override readonly name = 'QueueAdminNotSupportedError';
  constructor(brokerKind: string, what: string) {
    super(`the ${brokerKind} transport cannot ${what}`);
  }
}
