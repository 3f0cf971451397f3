import { ResultMeta, isReady } from '../../protocol';

interface Waiter {
  onUpdate?: (meta: ResultMeta) => void;
  finish: (meta: ResultMeta | undefined) => void;
  lastStatus?: string;
}

/**
 * Every `waitForReady` of one backend shares one poll: each interval, one SELECT reads
 * the rows of all the task ids waited on (`task_id = ANY($1)`). Polling, because a
 * Python worker writes its rows with SQLAlchemy and tells no one: a LISTEN would never
 * hear of them. Celery's own database backend polls too (every 0.5 s).
 */
export class PostgresResultPolls {
  private readonly waiters = new Map<string, Set<Waiter>>();
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
    return new Promise((resolve) => {
      let done = false;
      const waiter: Waiter = {
        onUpdate,
        finish: (meta) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          this.remove(taskId, waiter);
          resolve(meta);
        },
      };
      const timer = setTimeout(() => waiter.finish(undefined), timeoutMs);
      let waiters = this.waiters.get(taskId);
      if (!waiters) this.waiters.set(taskId, (waiters = new Set()));
      waiters.add(waiter);
      this.schedule(0);
    });
  }

  /** Task ids waited on now (tests). */
  get waitedTaskIds(): number {
    return this.waiters.size;
  }

  /** Resolves every pending wait with undefined and stops polling. */
  close(): void {
    for (const waiters of [...this.waiters.values()])
      for (const waiter of [...waiters]) waiter.finish(undefined);
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
      const metas = await this.readMany([...this.waiters.keys()]);
      for (const meta of metas) this.deliver(meta);
    } catch (error) {
      this.onError(error);
    } finally {
      this.polling = false;
      this.schedule(this.intervalMs);
    }
  }

  private deliver(meta: ResultMeta): void {
    for (const waiter of [...(this.waiters.get(meta.task_id) ?? [])]) {
      if (waiter.lastStatus !== meta.status) {
        waiter.lastStatus = meta.status;
        waiter.onUpdate?.(meta);
      }
      if (isReady(meta.status)) waiter.finish(meta);
    }
  }

  private remove(taskId: string, waiter: Waiter): void {
    const waiters = this.waiters.get(taskId);
    if (waiters?.delete(waiter) && waiters.size === 0)
      this.waiters.delete(taskId);
  }
}
