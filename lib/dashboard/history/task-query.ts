import { TaskEventState, TaskRecord } from '../../events/task-record';

/** A query of the history: every filter optional, newest first, one page. */
export interface TaskQuery {
  name?: string;
  state?: TaskEventState;
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
