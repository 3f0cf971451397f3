/** A task's state as its events tell it (Celery's state names). */
export type TaskRecordState =
  | 'PENDING'
  | 'RECEIVED'
  | 'STARTED'
  | 'SUCCESS'
  | 'FAILURE'
  | 'RETRY'
  | 'REVOKED'
  | 'REJECTED';

export const TASK_RECORD_STATES: readonly TaskRecordState[] = [
  'PENDING',
  'RECEIVED',
  'STARTED',
  'SUCCESS',
  'FAILURE',
  'RETRY',
  'REVOKED',
  'REJECTED',
];

/** The event timestamps a record keeps, one per task event type (seconds since the epoch). */
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
 * One task of the dashboard's history: every field its events told, merged. Strings
 * are as the events carry them (`args`, `kwargs` and `result` are Python reprs).
 */
export interface TaskRecord {
  id: string;
  name: string | null;
  state: TaskRecordState;
  /** The timestamp of the event that set `state`. */
  stateAt: number;
  /** When it was first seen: its earliest event (the history's order and time filter). */
  time: number;
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
  queue: string | null;
  eta: string | null;
  expires: string | null;
  /** A revoke that terminated it while it ran. */
  terminated: boolean | null;
  sent: number | null;
  received: number | null;
  started: number | null;
  succeeded: number | null;
  failed: number | null;
  retried: number | null;
  revoked: number | null;
  rejected: number | null;
}

/** A query of the history: every filter optional, newest first, one page. */
export interface TaskQuery {
  name?: string;
  state?: TaskRecordState;
  worker?: string;
  /** First seen at or after (seconds since the epoch). */
  from?: number;
  /** First seen at or before (seconds since the epoch). */
  to?: number;
  offset: number;
  limit: number;
}

/** One page of a query, and how many tasks match in all. */
export interface TaskPage {
  total: number;
  tasks: TaskRecord[];
}
