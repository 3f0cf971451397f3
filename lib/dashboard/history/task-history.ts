import { TaskPatch } from '../../events/task-patch';
import { TaskRecord } from '../../events/task-record';
import { TaskPage, TaskQuery } from './task-query';

/** Timestamps (seconds) of the outcomes of tasks, by outcome. */
export interface OutcomeTimes {
  succeeded: number[];
  failed: number[];
  retried: number[];
}

/** How much history is kept: the oldest tasks go first past either cap. */
export interface HistoryCaps {
  maxTasks: number;
  maxAgeSeconds: number;
}

/**
 * The dashboard's recent tasks, merged from their events: in memory, or in Redis so
 * that it survives a restart and is shared by every instance of the app. Writes are
 * idempotent (several instances apply the same events).
 */
export interface TaskHistory {
  readonly kind: 'memory' | 'redis';
  /** Merges these patches, then drops what is past the caps. */
  apply(patches: readonly TaskPatch[]): Promise<void>;
  /** One page of the tasks matching the query, newest first. */
  query(query: TaskQuery): Promise<TaskPage>;
  get(id: string): Promise<TaskRecord | null>;
  /** The records of these ids, in their order: null for an id it does not keep. */
  getMany(ids: readonly string[]): Promise<(TaskRecord | null)[]>;
  /**
   * When the tasks first seen since `since` (seconds) succeeded, failed or retried:
   * what the throughput chart is drawn again from after a restart.
   */
  outcomes(since: number): Promise<OutcomeTimes>;
  /** The ids of the tasks whose `parentId` is `id` (at most `limit`). */
  children(id: string, limit: number): Promise<string[]>;
  /** The task names and workers seen, for the filters' suggestions (at most `limit` each). */
  facets(limit: number): Promise<{ names: string[]; workers: string[] }>;
  size(): Promise<number>;
  close(): Promise<void>;
}
