/**
 * Counts operations under way and lets one wait until none is left, counting those
 * begun meanwhile: what a Set of their promises did, without a Set that thousands a
 * second go through (see LinkedSet for what such a Set costs in the old generation).
 */
export class InFlightCount {
  private count = 0;
  private readonly waiters = new Set<() => void>();

  get size(): number {
    return this.count;
  }

  begin(): void {
    this.count++;
  }

  /** One is done. More ends than begins change nothing (it is called from `finally`). */
  end(): void {
    if (this.count === 0) return;
    if (--this.count > 0) return;
    for (const wake of [...this.waiters]) wake();
  }

  /**
   * Resolves true once none is under way (at once if none is), counting those begun
   * meanwhile; false if `ms` passes first (without `ms`, no limit).
   */
  whenNone(ms?: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (none: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(none);
      };
      const wake = () => settle(true);
      this.waiters.add(wake);
      if (ms !== undefined) timer = setTimeout(() => settle(false), ms);
    });
  }
}
