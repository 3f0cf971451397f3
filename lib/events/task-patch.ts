import { EventStamp, TaskEventState, TaskRecord } from './task-record';

/**
 * What one task event changes in its task's record: the plain fields it carries, the
 * state it means, its timestamp and, for a worker's events, the worker. `FleetState`
 * and the dashboard's history apply patches with one rule (`applyTaskPatch` here; the
 * dashboard's Lua script is the same rule in Redis).
 */
export interface TaskPatch {
  id: string;
  at: number;
  state: TaskEventState | null;
  stamp: EventStamp | null;
  worker: string | null;
  /** Text fields, as the event carries them. */
  text: Partial<Record<TextField, string>>;
  /** Number fields. */
  numbers: Partial<Record<NumberField, number>>;
  terminated: boolean | null;
}

export const TEXT_FIELDS = {
  name: 'name',
  args: 'args',
  kwargs: 'kwargs',
  result: 'result',
  exception: 'exception',
  traceback: 'traceback',
  root_id: 'rootId',
  parent_id: 'parentId',
  queue: 'queue',
  eta: 'eta',
  expires: 'expires',
} as const;
export type TextField = (typeof TEXT_FIELDS)[keyof typeof TEXT_FIELDS];

export const NUMBER_FIELDS = {
  runtime: 'runtime',
  retries: 'retries',
} as const;
export type NumberField = (typeof NUMBER_FIELDS)[keyof typeof NUMBER_FIELDS];

const EVENT_OF: Record<string, [TaskEventState, EventStamp]> = {
  'task-sent': ['PENDING', 'sent'],
  'task-received': ['RECEIVED', 'received'],
  'task-started': ['STARTED', 'started'],
  'task-succeeded': ['SUCCESS', 'succeeded'],
  'task-failed': ['FAILURE', 'failed'],
  'task-retried': ['RETRY', 'retried'],
  'task-revoked': ['REVOKED', 'revoked'],
  'task-rejected': ['REJECTED', 'rejected'],
};

/**
 * The patch of a task event (`task-*` with `uuid`, `timestamp`, `hostname`), or null
 * for an event the history does not keep (another type, a field of the wrong type).
 */
export function taskPatch(
  event: Record<string, unknown>,
  maxText = Number.POSITIVE_INFINITY,
): TaskPatch | null {
  const { uuid, timestamp, hostname, type } = event;
  if (typeof uuid !== 'string' || uuid.length === 0 || uuid.length > 200)
    return null;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) return null;
  const known = typeof type === 'string' ? EVENT_OF[type] : undefined;
  if (!known) return null;
  const text: TaskPatch['text'] = {};
  for (const [wire, field] of Object.entries(TEXT_FIELDS)) {
    const value = event[wire];
    if (typeof value === 'string')
      text[field] = value.length > maxText ? value.slice(0, maxText) : value;
  }
  const numbers: TaskPatch['numbers'] = {};
  for (const [wire, field] of Object.entries(NUMBER_FIELDS)) {
    const value = event[wire];
    if (typeof value === 'number' && Number.isFinite(value))
      numbers[field] = value;
  }
  // task-sent comes from the producer, task-revoked from whoever revoked it.
  const fromWorker = type !== 'task-sent' && type !== 'task-revoked';
  return {
    id: uuid,
    at: Math.round(timestamp * 1000) / 1000,
    state: known[0],
    stamp: known[1],
    worker: fromWorker && typeof hostname === 'string' ? hostname : null,
    text,
    numbers,
    terminated: type === 'task-revoked' ? event.terminated === true : null,
  };
}

/**
 * Merges a patch into a record, in place. Events of one task come from several
 * processes, out of order, and several app instances may apply the same one: the
 * newest state wins (a tie keeps the later arrival), any state wins over PENDING and
 * `task-sent` (stamped by the producer, often after the worker is done) never moves a
 * task back to it, and applying a patch twice changes nothing more.
 */
export function applyTaskPatch(record: TaskRecord, patch: TaskPatch): void {
  if (
    patch.state &&
    (record.state === 'PENDING' ||
      (patch.state !== 'PENDING' && patch.at >= record.stateAt))
  ) {
    record.state = patch.state;
    record.stateAt = patch.at;
  }
  if (patch.at < record.time) record.time = patch.at;
  if (patch.stamp) record[patch.stamp] = patch.at;
  if (patch.worker) record.worker = patch.worker;
  Object.assign(record, patch.text, patch.numbers);
  if (patch.terminated !== null) record.terminated = patch.terminated;
}
