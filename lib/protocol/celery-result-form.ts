import { ResultMeta } from './result-meta';
import { TaskRequest } from './task-request';

/**
 * How `date_done` is written, as each Celery 5.x writes it (`celery/backends/base.py`):
 * 5.2 and 5.3 `datetime.utcnow().isoformat()`, naive UTC (`2026-12-05T10:00:00.123000`);
 * 5.4 and later aware UTC (`...+00:00`). Python compares only datetimes of one kind:
 * `sorted()` over results of both kinds raises TypeError.
 */
export type DateDoneForm = 'naive-utc' | 'aware-utc';

/** The `date_done` form of a Celery version ('5.2', '5.4.0'...). */
export function dateDoneFormOf(celeryVersion: string): DateDoneForm {
  const match = /^(\d+)\.(\d+)/.exec(celeryVersion);
  if (!match)
    throw new Error(
      `celeryVersion must look like '5.2' or '5.4.0', got ${JSON.stringify(celeryVersion)}`,
    );
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major < 5 || (major === 5 && minor < 4) ? 'naive-utc' : 'aware-utc';
}

/** Celery's `result_extended` fields, from the request that ran. */
export interface ExtendedResultFields {
  /** The worker's node name (Celery's `hostname`, `celery@host`). */
  worker: string;
  /** The queue it was taken from (Celery: `delivery_info.routing_key`). */
  queue: string | null;
}

/**
 * The meta as the configured Celery writes it: `date_done` in its form and, with
 * `extended`, `name`, `args`, `kwargs`, `worker`, `retries`, `queue` after `parent_id`
 * (Celery's `_get_result_meta` order), `task_id` last.
 */
export function inCeleryForm(
  meta: ResultMeta,
  form: DateDoneForm,
  request?: TaskRequest,
  extended?: ExtendedResultFields,
): ResultMeta {
  const dateDone =
    form === 'naive-utc' && meta.date_done?.endsWith('+00:00')
      ? meta.date_done.slice(0, -6)
      : meta.date_done;
  if (!(request && extended)) {
    return dateDone === meta.date_done
      ? meta
      : { ...meta, date_done: dateDone };
  }
  const { task_id: taskId, ...rest } = meta;
  return {
    ...rest,
    date_done: dateDone,
    name: request.name,
    args: request.args,
    kwargs: request.kwargs,
    worker: extended.worker,
    retries: request.retries,
    queue: extended.queue,
    task_id: taskId,
  };
}
