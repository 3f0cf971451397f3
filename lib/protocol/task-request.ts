import { TaskEmbed, TaskMessage } from './message';

/** A task message decoded for execution: what the worker needs, typed. */
export interface TaskRequest {
  id: string;
  name: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  embed: TaskEmbed | null;
  eta: Date | null;
  expires: Date | null;
  retries: number;
  /** Seconds; null when unset. */
  timeLimit: { hard: number | null; soft: number | null };
  rootId: string;
  parentId: string | null;
  group: string | null;
  groupIndex: number | null;
  ignoreResult: boolean;
  replyTo: string | null;
  priority: number;
  origin: string | null;
  /** The message as it came, for re-publishing (retries) and dead letters. */
  message: TaskMessage;
}
