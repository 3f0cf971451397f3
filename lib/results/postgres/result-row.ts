import {
  ResultMeta,
  TaskState,
  PythonObject,
  exceptionInfoOf,
  readPickle,
  writePickle,
  isReady,
  parseJson,
  pythonValueAsText,
} from '../../protocol';
import { PostgresResultError } from './errors';

/** A `celery_taskmeta` row as the SELECT reads it (`date_done` as UTC text). */
export interface TaskRow {
  task_id: string;
  status: string;
  result: Buffer | null;
  date_done: string | null;
  traceback: string | null;
  name: string | null;
  args: Buffer | null;
  kwargs: Buffer | null;
  worker: string | null;
  retries: number | null;
  queue: string | null;
}

/** Celery's `result_extended` fields, which have columns of their own. */
const EXTENDED = [
  'name',
  'args',
  'kwargs',
  'worker',
  'retries',
  'queue',
] as const;

/** The columns a store writes, in the order of the upsert's parameters. */
export function rowValues(meta: ResultMeta): unknown[] {
  return [
    meta.task_id,
    meta.status,
    writePickle(meta.result),
    // Celery's column is a naive UTC timestamp; an offset in the text is ignored.
    meta.date_done ?? (isReady(meta.status) ? new Date().toISOString() : null),
    meta.traceback,
    // result_extended: args and kwargs are LargeBinary holding the serializer's (JSON) bytes.
    meta.name ?? null,
    meta.args === undefined ? null : Buffer.from(JSON.stringify(meta.args)),
    meta.kwargs === undefined ? null : Buffer.from(JSON.stringify(meta.kwargs)),
    meta.worker ?? null,
    meta.retries ?? null,
    meta.queue ?? null,
  ];
}

/**
 * A row as the meta Celery's `meta_from_decoded` gives: the database backend keeps no
 * children, group or parent. A pickled exception (Celery's `result_serializer='pickle'`)
 * becomes Celery's JSON form; bytes become their UTF-8 text, as the JSON reader does.
 */
export function metaOfRow(row: TaskRow): ResultMeta {
  let result: unknown = null;
  if (row.result) {
    try {
      result = plainData(
        readPickle(row.result),
        row.task_id,
        row.status !== 'SUCCESS',
      );
    } catch (error) {
      if (error instanceof PostgresResultError) throw error;
      throw new PostgresResultError(
        `the result of task ${row.task_id} cannot be read: ${(error as Error).message}`,
      );
    }
  }
  const meta: ResultMeta = {
    status: row.status as TaskState,
    result,
    traceback: row.traceback,
    children: [],
    date_done: row.date_done,
    task_id: row.task_id,
  };
  if (row.name !== null) {
    for (const field of EXTENDED) {
      const value = row[field];
      meta[field] = Buffer.isBuffer(value)
        ? parseJson(value.toString('utf8'))
        : value;
    }
  }
  return meta;
}

function plainData(
  value: unknown,
  taskId: string,
  exceptionHere: boolean,
): unknown {
  if (value instanceof PythonObject) {
    const text = pythonValueAsText(value);
    if (text !== undefined) return text;
    if (exceptionHere) return exceptionInfoOf(value);
    throw new PostgresResultError(
      `the result of task ${taskId} holds a Python ${value.module}.${value.name}, which is not plain data`,
    );
  }
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (Array.isArray(value))
    return value.map((item) => plainData(item, taskId, false));
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      copy[key] = plainData(item, taskId, false);
    return copy;
  }
  return value;
}
