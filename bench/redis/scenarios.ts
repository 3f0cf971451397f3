import { Measurement } from '../report';
import { BenchChild } from './child';
import { cleanUp } from './cleanup';
import { openFloor } from './floor';
import { BenchPlace, newPlace } from './names';
import { BenchSystem, openProducer } from './producers';
import { RedisBenchSizes } from './sizes';
import { percentile } from '../stats';
import type { WorkerReport, WorkerSystem } from './worker-child';

export type Figure = Omit<Measurement, 'section' | 'system'>;

const perSecond = (count: number, ms: number) => (count * 1000) / ms;

/** Runs `body` on a fresh place and deletes its keys afterwards. */
export async function inPlace<T>(
  label: string,
  redisUrl: string,
  body: (place: BenchPlace) => Promise<T>,
): Promise<T> {
  const place = newPlace(label, redisUrl);
  try {
    return await body(place);
  } finally {
    await cleanUp(place);
  }
}

/** Sends per chunk when the floor is interleaved with a system's sends. */
const FLOOR_CHUNK = 250;

/**
 * Enqueue rates: one send at a time, then in batches. With `onFloor`, the ioredis floor
 * (floor.ts) runs interleaved with the one-at-a-time sends, a chunk of each in turn on
 * the same place, and its rate goes to `onFloor`.
 */
export function enqueue(
  system: BenchSystem,
  sizes: RedisBenchSizes,
  redisUrl: string,
  onFloor?: (figures: Figure[]) => void,
): Promise<Figure[]> {
  return inPlace('enqueue', redisUrl, async (place) => {
    const producer = await openProducer(system, place);
    const floor = onFloor ? openFloor(place, redisUrl) : undefined;
    try {
      // Warm-up, untimed: both systems share ioredis, which the first would warm alone.
      const warmUp = Math.min(1000, Math.ceil(sizes.enqueueOne / 5));
      for (let i = 0; i < warmUp; i++) await producer.one(i);
      if (floor) for (let i = 0; i < warmUp; i++) await floor.one();
      await producer.many(0, sizes.batch);
      let ours = 0;
      let floors = 0;
      const cpu = { user: 0, system: 0 };
      for (let from = 0; from < sizes.enqueueOne; from += FLOOR_CHUNK) {
        const to = Math.min(sizes.enqueueOne, from + FLOOR_CHUNK);
        const cpuAt = process.cpuUsage();
        let at = performance.now();
        for (let i = from; i < to; i++) await producer.one(i);
        ours += performance.now() - at;
        const used = process.cpuUsage(cpuAt);
        cpu.user += used.user;
        cpu.system += used.system;
        if (!floor) continue;
        at = performance.now();
        for (let i = from; i < to; i++) await floor.one();
        floors += performance.now() - at;
      }
      const one = perSecond(sizes.enqueueOne, ours);
      const cpuPerSend = (cpu.user + cpu.system) / sizes.enqueueOne;
      if (onFloor) {
        onFloor([
          {
            scenario: 'enqueue, one at a time',
            value: perSecond(sizes.enqueueOne, floors),
            unit: 'tasks/s',
            better: 'higher',
          },
        ]);
      }
      const started = performance.now();
      for (let i = 0; i < sizes.enqueueBatched; i += sizes.batch)
        await producer.many(i, Math.min(sizes.batch, sizes.enqueueBatched - i));
      const batched = perSecond(
        sizes.enqueueBatched,
        performance.now() - started,
      );
      return [
        {
          scenario: 'enqueue, one at a time',
          value: one,
          unit: 'tasks/s',
          better: 'higher',
        },
        {
          scenario: 'producer CPU per send, one at a time',
          value: cpuPerSend,
          unit: 'us',
          better: 'lower',
        },
        {
          scenario: `enqueue, ${sizes.batch} at once`,
          value: batched,
          unit: 'tasks/s',
          better: 'higher',
        },
      ];
    } finally {
      floor?.close();
      await producer.close();
    }
  });
}

/**
 * Pre-fills `processing` no-op tasks, then times a worker process draining them (after
 * `warmup` more, untimed: the worker's start-up and the JIT's first compilations). At
 * the top concurrency BullMQ drains a second time hosted in a Nest application
 * (@nestjs/bullmq's WorkerHost), as a Nest team runs it: Celeriac always runs in one,
 * so the `in a Nest app` rows compare like with like.
 */
export async function processing(
  system: BenchSystem,
  concurrency: number,
  sizes: RedisBenchSizes,
  redisUrl: string,
  warmup = 0,
): Promise<Figure[]> {
  const top = concurrency === Math.max(...sizes.concurrencies);
  const result = await drain(
    system,
    system,
    concurrency,
    sizes,
    redisUrl,
    warmup,
  );
  const figures: Figure[] = [
    {
      scenario: `process, concurrency ${concurrency}`,
      value: perSecond(result.tasks!, result.ms!),
      unit: 'tasks/s',
      better: 'higher',
    },
  ];
  if (!top) return figures;
  figures.push(
    {
      scenario: `worker CPU per task (c=${concurrency})`,
      value: result.cpuUsPerTask!,
      unit: 'us',
      better: 'lower',
    },
    ...(result.mainCpuUsPerTask === undefined
      ? []
      : [
          {
            scenario: `worker main thread CPU per task (c=${concurrency})`,
            value: result.mainCpuUsPerTask,
            unit: 'us',
            better: 'lower' as const,
          },
        ]),
    {
      scenario: `Redis CPU per task (c=${concurrency})`,
      value: result.redisCpuUsPerTask!,
      unit: 'us',
      better: 'lower',
    },
    ...rssFigures(result, `c=${concurrency}`),
  );
  const inNest =
    system === 'bullmq'
      ? await drain(system, 'bullmq-nest', concurrency, sizes, redisUrl, warmup)
      : result;
  figures.push(
    {
      scenario: `process, concurrency ${concurrency}, in a Nest app`,
      value: perSecond(inNest.tasks!, inNest.ms!),
      unit: 'tasks/s',
      better: 'higher',
    },
    ...rssFigures(inNest, `c=${concurrency}, in a Nest app`),
  );
  return figures;
}

function rssFigures(result: WorkerReport, label: string): Figure[] {
  return [
    {
      scenario: `worker RSS peak (${label})`,
      value: result.peakMb!,
      unit: 'MB',
      better: 'lower',
    },
    {
      scenario: `worker RSS steady (${label})`,
      value: result.steadyMb!,
      unit: 'MB',
      better: 'lower',
    },
  ];
}

/**
 * Fills a fresh place with `system`'s producer (`warmup` tasks more than
 * `sizes.processing`) and drains it with a `worker` process, timed once the first
 * `warmup` have run.
 */
export function drain(
  system: BenchSystem,
  worker: WorkerSystem,
  concurrency: number,
  sizes: RedisBenchSizes,
  redisUrl: string,
  warmup: number,
): Promise<WorkerReport> {
  return inPlace(`process-${concurrency}`, redisUrl, async (place) => {
    const producer = await openProducer(system, place);
    const total = warmup + sizes.processing;
    try {
      for (let i = 0; i < total; i += sizes.batch)
        await producer.many(i, Math.min(sizes.batch, total - i));
    } finally {
      await producer.close();
    }
    const child = new BenchChild({
      BENCH_SYSTEM: worker,
      BENCH_MODE: 'processing',
      BENCH_CONCURRENCY: String(concurrency),
      BENCH_EXPECT: String(total),
      BENCH_WARMUP: String(warmup),
      BENCH_PLACE: JSON.stringify(place),
    });
    try {
      return await child.next<WorkerReport>(300_000);
    } finally {
      await child.exit();
    }
  });
}

/**
 * End-to-end latency at a paced rate: this process sends, a worker process (concurrency
 * 100) records `now - sentAt` in each task.
 */
export function latency(
  system: BenchSystem,
  sizes: RedisBenchSizes,
  redisUrl: string,
): Promise<Figure[]> {
  return inPlace('latency', redisUrl, async (place) => {
    const total = Math.round(sizes.latencyRate * sizes.latencySeconds);
    const child = new BenchChild({
      BENCH_SYSTEM: system,
      BENCH_MODE: 'latency',
      BENCH_CONCURRENCY: '100',
      BENCH_EXPECT: String(total),
      BENCH_PLACE: JSON.stringify(place),
    });
    const producer = await openProducer(system, place);
    try {
      await child.next(60_000); // ready
      await paced(sizes.latencyRate, total, () => producer.stamp());
      const { latencies } = await child.next<WorkerReport>(60_000);
      const rate = `${sizes.latencyRate}/s`;
      return [
        {
          scenario: `latency p50 at ${rate}`,
          value: percentile(latencies!, 50),
          unit: 'ms',
          better: 'lower',
        },
        {
          scenario: `latency p99 at ${rate}`,
          value: percentile(latencies!, 99),
          unit: 'ms',
          better: 'lower',
        },
      ];
    } finally {
      await producer.close();
      await child.exit();
    }
  });
}

/** Sends `total` tasks at `rate` per second, each as soon as its slot comes, without waiting on earlier sends. */
async function paced(
  rate: number,
  total: number,
  send: () => Promise<void>,
): Promise<void> {
  const started = performance.now();
  const sends: Promise<void>[] = [];
  while (sends.length < total) {
    const due = Math.min(
      total,
      Math.floor(((performance.now() - started) * rate) / 1000) + 1,
    );
    while (sends.length < due) sends.push(send());
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(sends);
}
