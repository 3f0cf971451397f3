import { Rate } from './rate';

/**
 * Counts runs of a task type against its rate. A worker asks before it runs a
 * rate-limited task; the limiter reserves the next free slot and says how long to
 * wait for it, so a waiting task keeps its place and is never dropped or failed.
 *
 * The per-worker limits use a memory limiter of the worker's own; fleet-wide limits use
 * the module's `rateLimitStore` (MemoryRateLimiter by name within one process,
 * RedisRateLimiter across processes).
 */
export interface RateLimiter {
  /**
   * Reserves the next slot for `key` at `rate` and resolves with the milliseconds
   * from now until it (0: run now). Each call takes one slot.
   */
  reserve(key: string, rate: Rate): Promise<number>;

  close(): Promise<void>;
}
