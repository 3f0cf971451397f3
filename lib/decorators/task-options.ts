import { Duration } from '../common/duration';

/** Options of one task, set in `@Task({...})`; per-call options override them. */
export interface TaskOptions {
  /** The name other processes and languages call it by. Default `<ClassName>.<methodName>`. */
  name?: string;
  /** The queue it is sent to when the call does not say. Default: the module's default queue. */
  queue?: string;
  /** 0..9. On Redis and the memory broker 0 runs first; on RabbitMQ 9 does (as in Celery). */
  priority?: number;
  /** Ack after the task finished (default true: a worker killed mid-task loses nothing). */
  acksLate?: boolean;
  /** Store no result (Celery's ignore_result). */
  ignoreResult?: boolean;
  /** Default expiry of a call: seconds (or '10m'...) after sending, past which it is not run. */
  expires?: Duration;
}

/** What `@Task` stores on the method. */
export interface TaskMetadata extends TaskOptions {
  name: string;
}

export const TASK_METADATA = 'celeriac:task';
