/** Celery's task states (celery/states.py), plus PROGRESS for reported progress. */
export type TaskState =
  | 'PENDING'
  | 'RECEIVED'
  | 'STARTED'
  | 'PROGRESS'
  | 'RETRY'
  | 'SUCCESS'
  | 'FAILURE'
  | 'REVOKED'
  | 'REJECTED'
  | 'IGNORED';

/** States after which nothing more happens to a task. */
export const READY_STATES: ReadonlySet<string> = new Set([
  'SUCCESS',
  'FAILURE',
  'REVOKED',
]);

/** Ready states whose `get()` rejects. */
export const PROPAGATE_STATES: ReadonlySet<string> = new Set([
  'FAILURE',
  'REVOKED',
]);

export function isReady(state: string): boolean {
  return READY_STATES.has(state);
}
