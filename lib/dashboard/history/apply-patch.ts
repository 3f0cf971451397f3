import { TaskPatch } from './task-patch';
import { TaskRecord } from './task-record';

/** A record with nothing known yet but its id and the time of its first event. */
export function emptyRecord(id: string, at: number): TaskRecord {
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

/**
 * Merges a patch into a record, in place. Events of one task come from several
 * processes, out of order, and several app instances may apply the same one: the
 * newest state wins (a tie keeps the later arrival), any state wins over PENDING and
 * `task-sent` never moves a task back to it, and applying a patch twice changes nothing more.
 */
export function applyPatch(record: TaskRecord, patch: TaskPatch): void {
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
