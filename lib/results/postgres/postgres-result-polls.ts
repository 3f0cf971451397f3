import { ResultMeta } from '../../protocol';
import { ResultWaiters } from '../result-waiters';

/**
 * Every `waitForReady` of one backend shares one poll: each interval, one SELECT reads
 * the rows of all the task ids waited on (`task_id = ANY($1)`). Polling, because a
 * Python worker writes its rows with SQLAlchemy and tells no one: a LISTEN would never
 * hear of them. Celery's own database backend polls too (every 0.5 s).
 */
export class PostgresResultPolls {
  private readonly waiters = new ResultWaiters({
    onAdded: () => this.schedule(0),
    updates: 'status-changes',
  });
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly readMany: (taskIds: string[]) => Promise<ResultMeta[]>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  wait(
    taskId: string,
    timeoutMs: number,
    onUpdate?: (meta: ResultMeta) => void,
  ): Promise<ResultMeta | undefined> {
    return this.waiters.wait(taskId, timeoutMs, onUpdate);
  }

  /** Task ids waited on now (tests). */
  get waitedTaskIds(): number {
    return this.waiters.size;
  }

  /** Resolves every pending wait with undefined and stops polling. */
  close(): void {
    this.waiters.close();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    if (this.polling || this.waiters.size === 0) return;
    if (this.timer && delayMs > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), delayMs);
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    this.polling = true;
    try {
      const metas = await this.readMany(this.waiters.keys());
      for (const meta of metas) this.waiters.deliver(meta.task_id, meta);
    } catch (error) {
      this.onError(error);
    } finally {
      this.polling = false;
      this.schedule(this.intervalMs);
    }
  }
}
