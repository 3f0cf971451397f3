import { TaskRecordState, EventStamp } from './task-record';

/**
 * What one task event changes in its task's record: the plain fields it carries, the
 * state it means, its timestamp and, for a worker's events, the worker. Both stores
 * apply patches with the same rule (`applyPatch` here, the Lua script on Redis).
 */
export interface TaskPatch {
  id: string;
  at: number;
  state: TaskRecordState | null;
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

const EVENT_OF: Record<string, [TaskRecordState, EventStamp]> = {
  'task-sent': ['PENDING', 'sent'],
  'task-received': ['RECEIVED', 'received'],
  'task-started': ['STARTED', 'started'],
  'task-succeeded': ['SUCCESS', 'succeeded'],
  'task-failed': ['FAILURE', 'failed'],
  'task-retried': ['RETRY', 'retried'],
  'task-revoked': ['REVOKED', 'revoked'],
  'task-rejected': ['REJECTED', 'rejected'],
};

/** Longest text kept per field: a traceback or a repr beyond it is cut. */
export const MAX_TEXT = 16_384;

/**
 * The patch of a task event (`task-*` with `uuid`, `timestamp`, `hostname`), or null
 * for an event the history does not keep (another type, a field of the wrong type).
 */
export function taskPatch(event: Record<string, unknown>): TaskPatch | null {
  const { uuid, timestamp, hostname, type } = event;
  if (typeof uuid !== 'string' || uuid.length === 0 || uuid.length > 200)
    return null;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) return null;
  const known = typeof type === 'string' ? EVENT_OF[type] : undefined;
  if (!known) return null;
  const text: TaskPatch['text'] = {};
  for (const [wire, field] of Object.entries(TEXT_FIELDS)) {
    const value = event[wire];
    if (typeof value === 'string') text[field] = value.slice(0, MAX_TEXT);
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
