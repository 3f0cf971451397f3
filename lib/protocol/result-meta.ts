import { toCeleryIso } from './iso-time';
import { TaskState, isReady } from './states';

/** A task's stored result, in Celery's format (`celery-task-meta-<id>`). */
export interface ResultMeta {
  status: TaskState;
  /** The value on SUCCESS, an ExceptionInfo on FAILURE/RETRY/REVOKED, progress meta on PROGRESS. */
  result: unknown;
  traceback: string | null;
  children: unknown[];
  date_done: string | null;
  task_id: string;
  group_id?: string;
  parent_id?: string;
  [extra: string]: unknown;
}

/** How Celery serializes an exception in a result. */
export interface ExceptionInfo {
  exc_type: string;
  exc_message: unknown[];
  exc_module: string;
}

/**
 * A result meta as Celery's `_get_result_meta` + `_store_result` write it, keys in
 * the same order: status, result, traceback, children, date_done, [group_id],
 * [parent_id], task_id. `date_done` is set only for ready states (SUCCESS, FAILURE,
 * REVOKED) and null otherwise (STARTED, RETRY, PROGRESS...), as Celery does; it is
 * written with `+00:00`, as Celery >= 5.4 does; `inCeleryForm` writes it as the
 * configured Celery version does (5.2: naive).
 */
export function resultMeta(
  taskId: string,
  status: TaskState,
  result: unknown,
  options: {
    traceback?: string | null;
    now?: Date;
    parentId?: string | null;
    groupId?: string | null;
    /** Result tuples of the tasks this one sent, e.g. `[[["<id>", null], null]]`. */
    children?: unknown[];
  } = {},
): ResultMeta {
  const meta = {
    status,
    result,
    traceback: options.traceback ?? null,
    children: options.children ?? [],
    date_done: isReady(status) ? toCeleryIso(options.now ?? new Date()) : null,
  } as ResultMeta;
  if (options.groupId) meta.group_id = options.groupId;
  if (options.parentId) meta.parent_id = options.parentId;
  meta.task_id = taskId;
  return meta;
}

export function isExceptionInfo(value: unknown): value is ExceptionInfo {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as ExceptionInfo).exc_type === 'string'
  );
}
