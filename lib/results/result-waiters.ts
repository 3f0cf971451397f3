import { ResultMeta, isReady } from '../protocol';

interface Waiter {
  onUpdate?: (meta: ResultMeta) => void;
  finish: (meta: ResultMeta | undefined) => void;
  lastStatus?: string;
}

/**
 * The `waitForReady` calls of one backend, by key (a task id, or the key it is stored
 * under): each resolves with the first ready state delivered for its key, or with
 * undefined after its timeout or at `close`. The backend learns of states its own way
 * (a subscription, a poll) and hands them to `deliver`; `onAdded` and `onEmptied`
 * tell it when a key gets a waiter and when its last one leaves.
 */
export class ResultWaiters {
  private readonly waiters = new Map<string, Set<Waiter>>();

  constructor(
    private readonly hooks: {
      /** `first`: the key had no waiter before. */
      onAdded?: (key: string, first: boolean) => void;
      onEmptied?: (key: string) => void;
      /**
       * `status-changes`: a waiter's `onUpdate` sees a state only when its status
       * differs from the last one it saw (a poll reads the same state again and again).
       */
      updates: 'every' | 'status-changes';
    },
  ) {}

  /** Keys waited on now. */
  get size(): number {
    return this.waiters.size;
  }

  keys(): string[] {
    return [...this.waiters.keys()];
  }

  wait(
    key: string,
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
          this.remove(key, waiter);
          resolve(meta);
        },
      };
      const timer = setTimeout(() => waiter.finish(undefined), timeoutMs);
      let waiters = this.waiters.get(key);
      const first = !waiters;
      if (!waiters) this.waiters.set(key, (waiters = new Set()));
      waiters.add(waiter);
      this.hooks.onAdded?.(key, first);
    });
  }

  /** A state of `key`: its waiters' `onUpdate` see it; a ready one finishes them. */
  deliver(key: string, meta: ResultMeta): void {
    const onlyChanges = this.hooks.updates === 'status-changes';
    for (const waiter of [...(this.waiters.get(key) ?? [])]) {
      if (!onlyChanges || waiter.lastStatus !== meta.status) {
        waiter.lastStatus = meta.status;
        waiter.onUpdate?.(meta);
      }
      if (isReady(meta.status)) waiter.finish(meta);
    }
  }

  /** Finishes the waiters of `key` with `meta` if it is ready (a state read, not announced). */
  finishIfReady(key: string, meta: ResultMeta | undefined): void {
    if (!meta || !isReady(meta.status)) return;
    for (const waiter of [...(this.waiters.get(key) ?? [])])
      waiter.finish(meta);
  }

  /** Resolves every pending wait with undefined. */
  close(): void {
    for (const waiters of [...this.waiters.values()])
      for (const waiter of [...waiters]) waiter.finish(undefined);
  }

  private remove(key: string, waiter: Waiter): void {
    const waiters = this.waiters.get(key);
    if (!waiters?.delete(waiter) || waiters.size > 0) return;
    this.waiters.delete(key);
    this.hooks.onEmptied?.(key);
  }
}
