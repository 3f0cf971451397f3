/** The fields every Celery event carries (celery/events/dispatcher.py). */
export interface EventBase {
  type: string;
  /** The sender's node name (`celery@host`, `celeriac@host`). */
  hostname: string;
  /** When it was sent: seconds since the epoch (the sender's clock). */
  timestamp: number;
  /** The sender's offset from UTC in hours, west positive (Python's `time.timezone // 3600`). */
  utcoffset: number;
  pid: number;
  /** The sender's Lamport clock. */
  clock: number;
  /** When this process received it, seconds since the epoch (set by TaskEvents). */
  local_received?: number;
  /** Any field this type does not name is kept as it came. */
  [field: string]: unknown;
}

/** What a worker tells in `worker-online`, `worker-heartbeat` and `worker-offline`. */
export interface CeleryWorkerEvent extends EventBase {
  type: 'worker-online' | 'worker-heartbeat' | 'worker-offline';
  /** Seconds between heartbeats. */
  freq: number;
  /** Tasks running now. */
  active?: number;
  /** Tasks handled since it started. */
  processed?: number;
  loadavg?: number[];
  /** `py-celery` for a Python worker, `celeriac` for a Nest one. */
  sw_ident: string;
  sw_ver: string;
  sw_sys: string;
}

/** What `task-sent` and `task-received` tell of the task's message. */
export interface TaskMessageFields {
  uuid: string;
  name: string;
  /** Python's repr of the arguments (the message's `argsrepr`). */
  args: string;
  kwargs: string;
  retries: number;
  eta: string | null;
  expires: string | null;
  root_id: string | null;
  parent_id: string | null;
}

/** `task-sent`, from a producer that sends them (Celery's `task_send_sent_event`). */
export interface TaskSentEvent extends EventBase, TaskMessageFields {
  type: 'task-sent';
  queue: string;
  exchange: string;
  routing_key: string;
}

/** `task-received`: a worker took the message. */
export interface TaskReceivedEvent extends EventBase, TaskMessageFields {
  type: 'task-received';
}

/** `task-started`: the task function is about to run. */
export interface TaskStartedEvent extends EventBase {
  type: 'task-started';
  uuid: string;
}

/** `task-succeeded`: it returned. */
export interface TaskSucceededEvent extends EventBase {
  type: 'task-succeeded';
  uuid: string;
  /** Python's repr of the return value. */
  result: string;
  /** Seconds the task function ran. */
  runtime: number;
}

/** `task-failed`: it threw, and will not run again. */
export interface TaskFailedEvent extends EventBase {
  type: 'task-failed';
  uuid: string;
  /** Python's repr of the exception: `ValueError('bad input')`. */
  exception: string;
  traceback: string | null;
}

/** `task-retried`: it threw, and will run again. */
export interface TaskRetriedEvent extends EventBase {
  type: 'task-retried';
  uuid: string;
  exception: string;
  traceback: string | null;
}

/** `task-revoked`: revoked or expired before it ran, or terminated while running. */
export interface TaskRevokedEvent extends EventBase {
  type: 'task-revoked';
  uuid: string;
  terminated: boolean;
  signum: string | number | null;
  expired: boolean;
}

/** `task-rejected`: a message the worker could not run, dead-lettered. */
export interface TaskRejectedEvent extends EventBase {
  type: 'task-rejected';
  uuid: string;
  requeue: boolean;
}

/** Every task event Celery defines. */
export type CeleryTaskEvent =
  | TaskSentEvent
  | TaskReceivedEvent
  | TaskStartedEvent
  | TaskSucceededEvent
  | TaskFailedEvent
  | TaskRetriedEvent
  | TaskRevokedEvent
  | TaskRejectedEvent;

/** Another event (a custom one, `task-cancelled`...): only the common fields are known. */
export interface OtherEvent extends EventBase {
  type: string;
}

/** A parsed Celery event: narrow it on `type` (or with `ofType`). */
export type CeleryEvent = CeleryWorkerEvent | CeleryTaskEvent;

/** The type names of the events Celeriac knows. */
export type CeleryEventType = CeleryEvent['type'];

/** The event of one type name. */
export type EventOfType<T extends CeleryEventType> =
  T extends CeleryWorkerEvent['type']
    ? CeleryWorkerEvent
    : Extract<CeleryTaskEvent, { type: T }>;

/** `task` for `task-sent`, `worker` for `worker-heartbeat` (Celery's `group_from`). */
export function eventGroup(type: string): string {
  const dash = type.indexOf('-');
  return dash < 0 ? type : type.slice(0, dash);
}

/** True for `task-*` events. */
export function isTaskEvent(event: EventBase): event is CeleryTaskEvent {
  return event.type.startsWith('task-') && typeof event.uuid === 'string';
}

/** True for `worker-*` events. */
export function isWorkerEvent(event: EventBase): event is CeleryWorkerEvent {
  return event.type.startsWith('worker-');
}
