/** A publish written to the channel and waiting for its confirm. */
export interface InFlightEntry {
  deadline: number;
  fail: (error: Error) => void;
}

const SWEEP_INTERVAL_MS = 100;

/**
 * The publishes waiting for a confirm. One timer for all of them (not one per message)
 * fails those whose deadline passed; `idle()` tells when none is left.
 */
export class InFlight {
  private readonly entries = new Set<InFlightEntry>();
  private sweeper: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly timedOut: () => Error) {}

  get size(): number {
    return this.entries.size;
  }

  add(entry: InFlightEntry): void {
    this.entries.add(entry);
    this.startSweeper();
  }

  /** False when it was not there (settled or timed out already). */
  delete(entry: InFlightEntry): boolean {
    if (!this.entries.delete(entry)) return false;
    if (this.entries.size === 0) this.notifyIdle();
    return true;
  }

  /** Resolves when nothing waits for a confirm, or after `timeoutMs`. */
  idle(timeoutMs: number): Promise<void> {
    if (this.entries.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  stop(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  private startSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const entry of this.entries) {
        if (entry.deadline > now) continue;
        this.entries.delete(entry);
        entry.fail(this.timedOut());
      }
      if (this.entries.size === 0) {
        this.stop();
        this.notifyIdle();
      }
    }, SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const waiter of waiters) waiter();
  }
}
