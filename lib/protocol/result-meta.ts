import { toCeleryIso } from './iso-time';
import { TaskState } from './states';

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

export function resultMeta(
  taskId: string,
  status: TaskState,
  result: unknown,
  options: {
    traceback?: string | null;
    now?: Date;
    parentId?: string | null;
    groupId?: string | null;
  } = {},
): ResultMeta {
  const meta: ResultMeta = {
    status,
    result,
    traceback: options.traceback ?? null,
    children: [],
    date_done: toCeleryIso(options.now ?? new Date()),
    task_id: taskId,
  };
  if (options.parentId) meta.parent_id = options.parentId;
  if (options.groupId) meta.group_id = options.groupId;
  return meta;
}

export function isExceptionInfo(value: unknown): value is ExceptionInfo {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as ExceptionInfo).exc_type === 'string'
  );
}
