import { EventEmitter } from 'node:events';
import { ResultMeta } from '../../protocol';
import { waitForReadyState } from '../wait-for-ready';

interface Entry {
  meta: ResultMeta;
  expiresAt: number;
}

/**
 * The replies this client received, by task id, and who waits for them. Replies may come
 * in any order and before anyone asks; each is kept (the latest state per task) until it
 * is forgotten or `ttlMs` passed since it came. A SUCCESS is never replaced.
 */
export class ReplyBuffer {
  private readonly entries = new Map<string, Entry>();
  private readonly updates = new EventEmitter().setMaxListeners(0);

  constructor(private readonly ttlMs: number) {}

  put(meta: ResultMeta): void {
    const current = this.get(meta.task_id);
    if (current?.status === 'SUCCESS') return;
    this.entries.delete(meta.task_id); // re-inserted last: the map stays oldest-first
    this.entries.set(meta.task_id, {
      meta,
      expiresAt: Date.now() + this.ttlMs,
    });
    this.sweep();
    this.updates.emit(meta.task_id, meta);
  }

  get(taskId: string): ResultMeta | undefined {
    const entry = this.entries.get(taskId);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(taskId);
      return undefined;
    }
    return entry.meta;
  }

  forget(taskId: string): void {
    this.entries.delete(taskId);
  }

  /** Resolves with the ready meta, or undefined after `timeoutMs`. */
  waitForReady(
    taskId: string,
    timeoutMs: number,
    onUpdate?: (meta: ResultMeta) => void,
  ): Promise<ResultMeta | undefined> {
    return waitForReadyState(
      this.updates,
      taskId,
      this.get(taskId),
      timeoutMs,
      onUpdate,
    );
  }

  get size(): number {
    return this.entries.size;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [taskId, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.entries.delete(taskId);
    }
  }
}
