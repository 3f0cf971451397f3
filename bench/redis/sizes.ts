/** How much work each scenario of the Redis section does. */
export interface RedisBenchSizes {
  /** Tasks sent one `send` at a time. */
  enqueueOne: number;
  /** Tasks sent in batches of `batch` concurrent sends (BullMQ: addBulk). */
  enqueueBatched: number;
  batch: number;
  /** Pre-filled no-op tasks the worker processes, per concurrency. */
  processing: number;
  concurrencies: number[];
  /** End-to-end latency: tasks per second, for this many seconds. */
  latencyRate: number;
  latencySeconds: number;
  /** Which scenario groups run (default all): `BENCH_REDIS_ONLY=process,latency`. */
  only?: ScenarioGroup[];
}

export type ScenarioGroup = 'enqueue' | 'process' | 'latency';

export const FULL_SIZES: RedisBenchSizes = {
  enqueueOne: 5000,
  enqueueBatched: 20_000,
  batch: 1000,
  processing: 20_000,
  concurrencies: [1, 10, 100],
  latencyRate: 1000,
  latencySeconds: 5,
};

/**
 * The full sizes, scaled by `BENCH_REDIS_SCALE` (for a quick look: 0.1), never below a
 * handful of tasks per scenario.
 */
export function sizesFromEnv(env = process.env): RedisBenchSizes {
  const scale = Number(env.BENCH_REDIS_SCALE ?? 1);
  if (!(scale > 0))
    throw new RangeError(`BENCH_REDIS_SCALE must be > 0, got ${scale}`);
  const scaled = (n: number) => Math.max(10, Math.round(n * scale));
  return {
    ...FULL_SIZES,
    enqueueOne: scaled(FULL_SIZES.enqueueOne),
    enqueueBatched: scaled(FULL_SIZES.enqueueBatched),
    batch: Math.min(FULL_SIZES.batch, scaled(FULL_SIZES.enqueueBatched)),
    processing: scaled(FULL_SIZES.processing),
    latencySeconds: Math.max(0.2, FULL_SIZES.latencySeconds * scale),
    concurrencies: env.BENCH_REDIS_CONCURRENCIES
      ? env.BENCH_REDIS_CONCURRENCIES.split(',').map(Number)
      : FULL_SIZES.concurrencies,
    only: env.BENCH_REDIS_ONLY?.split(',') as ScenarioGroup[] | undefined,
  };
}
