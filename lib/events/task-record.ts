/** A task's states as its events tell them (Celery's state names). */
export const TASK_EVENT_STATES = [
  'PENDING',
  'RECEIVED',
  'STARTED',
  'SUCCESS',
  'FAILURE',
  'RETRY',
  'REVOKED',
  'REJECTED',
] as const;
/** A task's state as its events tell it (Celery's state names). */
export type TaskEventState = (typeof TASK_EVENT_STATES)[number];

/** The event timestamps a task keeps, one per task event type (seconds since the epoch). */
export const EVENT_STAMPS = [
  'sent',
  'received',
  'started',
  'succeeded',
  'failed',
  'retried',
  'revoked',
  'rejected',
] as const;
export type EventStamp = (typeof EVENT_STAMPS)[number];

/**
 * What a task's events tell of it, merged. Strings are as the events carry them
 * (`args`, `kwargs` and `result` are Python reprs).
 */
export interface TaskEventFields extends Record<EventStamp, number | null> {
  name: string | null;
  state: TaskEventState;
  /** The node that received or ran it. */
  worker: string | null;
  args: string | null;
  kwargs: string | null;
  result: string | null;
  exception: string | null;
  traceback: string | null;
  /** Seconds it ran. */
  runtime: number | null;
  retries: number | null;
  rootId: string | null;
  parentId: string | null;
}

/**
 * One task merged from its events (`FleetState` keeps them, the dashboard's history
 * stores them): its event fields, and what the merge itself needs.
 */
export interface TaskRecord extends TaskEventFields {
  id: string;
  /** The timestamp of the event that set `state`. */
  stateAt: number;
  /** When it was first seen: its earliest event. */
  time: number;
  queue: string | null;
  eta: string | null;
  expires: string | null;
  /** A revoke that terminated it while it ran. */
  terminated: boolean | null;
}

/** A record with nothing known yet but its id and the time of its first event. */
export function emptyTaskRecord(id: string, at: number): TaskRecord {
  return {
    id,
    name: null,
    state: 'PENDING',
    stateAt: at,
    time: at,
    worker: null,
    args: null,
    kwargs: null,
    result: null,
    exception: null,
    traceback: null,
    runtime: null,
    retries: null,
    rootId: null,
    parentId: null,
    queue: null,
    eta: null,
    expires: null,
    terminated: null,
    sent: null,
    received: null,
    started: null,
    succeeded: null,
    failed: null,
    retried: null,
    revoked: null,
    rejected: null,
  };
}
