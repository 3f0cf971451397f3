import { TaskMessage } from '../protocol';

/**
 * Runs a sent message in this process instead of publishing it: eager mode (Celery's
 * task_always_eager). The worker layer implements it; the module wires it to
 * `INLINE_RUNNER`, so the client never imports the worker.
 */
export interface InlineRunner {
  run(message: TaskMessage): Promise<void>;
}
