import { Rate } from '../rate';
import { RateLimiter } from '../rate-limiter';

/**
 * A rate limiter in process memory: GCRA, the reservation form of a token bucket of
 * capacity 1 (Celery's per-worker bucket). `named()` shares one between every worker
 * of a process (the fleet of the memory broker).
 */
export class MemoryRateLimiter implements RateLimiter {
  private static readonly shared = new Map<string, MemoryRateLimiter>();
  /** Key -> when its next slot is free (ms since the epoch). */
  private readonly nextFree = new Map<string, number>();

  static named(name: string): MemoryRateLimiter {
    let limiter = this.shared.get(name);
    if (!limiter) {
      limiter = new MemoryRateLimiter();
      this.shared.set(name, limiter);
    }
    return limiter;
  }

  reserve(key: string, rate: Rate): Promise<number> {
    return Promise.resolve(this.reserveNow(key, rate, Date.now()));
  }

  /** The synchronous reservation; `now` for tests. */
  reserveNow(key: string, rate: Rate, now: number): number {
    const slot = Math.max(this.nextFree.get(key) ?? now, now);
    this.nextFree.set(key, slot + rate.intervalMs);
    return slot - now;
  }

  async close(): Promise<void> {}
}
