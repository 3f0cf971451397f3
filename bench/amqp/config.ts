/** What the RabbitMQ section runs; the smoke test shrinks it. */
export interface AmqpBenchConfig {
  url: string;
  /** Messages per enqueue run. */
  enqueueCount: number;
  /** Pre-filled tasks per throughput run. */
  tasks: number;
  /** Worker concurrencies of the throughput runs. */
  concurrencies: number[];
  /** Paced rate (tasks/s) and duration (s) of the latency runs. */
  latencyRate: number;
  latencySeconds: number;
  /** Celery worker pools to run (`threads`, `prefork`). */
  celeryPools: Array<'threads' | 'prefork'>;
  /** A throughput run stops after this long; the rate is taken on what completed. */
  runBudgetSeconds: number;
  /** The concurrency of the latency runs' workers. */
  latencyConcurrency: number;
}

export const AMQP_BENCH_URL =
  process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export function defaultAmqpBenchConfig(): AmqpBenchConfig {
  const env = process.env;
  return {
    url: AMQP_BENCH_URL,
    enqueueCount: Number(env.BENCH_AMQP_ENQUEUE ?? 10_000),
    tasks: Number(env.BENCH_AMQP_TASKS ?? 20_000),
    concurrencies: list(env.BENCH_AMQP_CONCURRENCIES, '10,100').map(Number),
    latencyRate: 1_000,
    latencySeconds: Number(env.BENCH_AMQP_LATENCY_SECONDS ?? 5),
    celeryPools: list(env.BENCH_AMQP_POOLS, 'threads,prefork').filter(
      (pool): pool is 'threads' | 'prefork' =>
        pool === 'threads' || pool === 'prefork',
    ),
    latencyConcurrency: 10,
    runBudgetSeconds: Number(env.BENCH_AMQP_BUDGET_SECONDS ?? 60),
  };
}

/** A comma-separated setting (`BENCH_AMQP_POOLS=` runs no Celery worker). */
function list(value: string | undefined, fallback: string): string[] {
  return (value ?? fallback)
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** The no-op task every system runs (`@Task('bench.noop')`, Celery's `bench.noop`). */
export const NOOP_TASK = 'bench.noop';

/** Celery's worker prefetch multiplier (its default, 4), used by every worker. */
export const PREFETCH_MULTIPLIER = 4;
