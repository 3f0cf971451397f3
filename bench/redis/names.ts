import { REDIS_URL } from '../../test/support/redis-keys';

/** Where a scenario runs: its own queue and key prefixes on the shared Redis. */
export interface BenchPlace {
  redisUrl: string;
  queue: string;
  /** Celeriac's keyPrefix (broker and results). */
  celeriacPrefix: string;
  /** BullMQ's prefix. */
  bullPrefix: string;
}

export function newPlace(label: string, redisUrl = REDIS_URL): BenchPlace {
  const id = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
  return {
    redisUrl,
    queue: `bench-${label}`,
    celeriacPrefix: `celeriac-bench-${id}:`,
    bullPrefix: `bullmq-bench-${id}`,
  };
}
