/**
 * A bench worker in its own process: `BENCH_SYSTEM` (a WorkerSystem) consumes the
 * scenario's queue at `BENCH_CONCURRENCY` until `BENCH_EXPECT` tasks are done, then
 * prints its figures as one `BENCH {json}` line and exits.
 * - processing: the queue is pre-filled; time from the start of consumption to the
 *   last completion, and the RSS while it lasts.
 * - latency: prints `BENCH {"ready":true}`, then records now - sentAt in each task.
 */
import { readFileSync } from 'node:fs';
import type Redis from 'ioredis';
import { BenchPlace } from './names';
import { RssSampler, redisCpuUs, wallClockMs } from './stats';

/** BullMQ runs bare, or hosted in a Nest app as @nestjs/bullmq hosts it. */
export type WorkerSystem = 'celeriac' | 'bullmq' | 'bullmq-nest';

export interface WorkerReport {
  /** The timed part of a processing drain: how long, and how many tasks it ran. */
  ms?: number;
  tasks?: number;
  /** This process's CPU time (user + system) per task, in microseconds. */
  cpuUsPerTask?: number;
  /** The main thread's CPU time per task (Linux: its schedstat), in microseconds. */
  mainCpuUsPerTask?: number;
  /** The Redis server's CPU time per task (its main thread), over the same window. */
  redisCpuUsPerTask?: number;
  peakMb?: number;
  steadyMb?: number;
  latencies?: number[];
}

const env = process.env;
const place = JSON.parse(env.BENCH_PLACE!) as BenchPlace;
const mode = env.BENCH_MODE as 'processing' | 'latency';
const concurrency = Number(env.BENCH_CONCURRENCY);
const expected = Number(env.BENCH_EXPECT);
/** Processing: tasks run before the clock starts (the JIT compiles the path meanwhile). */
const warmup = Number(env.BENCH_WARMUP ?? 0);

function report(value: object): void {
  process.stdout.write(`BENCH ${JSON.stringify(value)}\n`);
}

/** The main thread's CPU time so far in ns (Linux), without the other threads'. */
function mainThreadCpuNs(): number | undefined {
  try {
    const text = readFileSync(
      `/proc/self/task/${process.pid}/schedstat`,
      'utf8',
    );
    return Number(text.split(' ')[0]);
  } catch {
    return undefined;
  }
}

/** Resolves when `done()` holds, checked every `everyMs`. */
function whenDone(done: () => boolean, everyMs = 2): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (!done()) return;
      clearInterval(timer);
      resolve();
    }, everyMs);
  });
}

/** A client of the bench's Redis for `INFO cpu`, apart from the worker's own. */
async function statsClient(): Promise<Redis> {
  const { default: Redis } = await import('ioredis');
  const redis = new Redis(place.redisUrl, { lazyConnect: true });
  await redis.connect();
  return redis;
}

/**
 * Times a processing drain once `warmup` tasks have run, to the `expected`-th: its
 * length and task count, the worker's CPU per task (all threads, and the main thread
 * alone), the Redis server's over the same window (read through `redis`, connected
 * before the worker starts so that the clock does not wait for it), and the worker's RSS.
 */
async function timedDrain(
  processed: () => number,
  redis: Redis,
): Promise<WorkerReport> {
  if (warmup > 0) await whenDone(() => processed() >= warmup);
  try {
    const redisCpu = await redisCpuUs(redis);
    const from = processed();
    const started = performance.now();
    const cpu = process.cpuUsage();
    const mainCpu = mainThreadCpuNs();
    const rss = new RssSampler();
    rss.start();
    await whenDone(() => processed() >= expected);
    const ms = performance.now() - started;
    const tasks = processed() - from;
    const used = process.cpuUsage(cpu);
    const mainNow = mainThreadCpuNs();
    return {
      ms,
      tasks,
      cpuUsPerTask: (used.user + used.system) / tasks,
      mainCpuUsPerTask:
        mainCpu === undefined || mainNow === undefined
          ? undefined
          : (mainNow - mainCpu) / 1000 / tasks,
      ...rss.stop(),
      // Read last: once the queue is empty Redis has little left to do.
      redisCpuUsPerTask: ((await redisCpuUs(redis)) - redisCpu) / tasks,
    };
  } finally {
    redis.disconnect();
  }
}

// Each system loads only its own code: the RSS measured is its own.
async function celeriac(): Promise<void> {
  const { TaskWorkerService } = await import('../../lib');
  const { LatencyRecorder, openCeleriac } = await import('./celeriac-app');
  const app = await openCeleriac(place, true);
  const recorder = app.get(LatencyRecorder);
  // Timed once the worker consumes, as BullMQ's is from run(): a Celeriac worker's start
  // includes about 300 ms of asking the fleet whether its node name is taken.
  const redis = mode === 'processing' ? await statsClient() : undefined;
  const worker = await app
    .get(TaskWorkerService)
    .start({ queues: [place.queue], concurrency });
  if (redis) {
    report(await timedDrain(() => worker.processed, redis));
  } else {
    report({ ready: true });
    await whenDone(() => recorder.samples.length >= expected, 20);
    report({ latencies: recorder.samples } satisfies WorkerReport);
  }
  await app.close();
}

async function bullmq(inNest: boolean): Promise<void> {
  const latencies: number[] = [];
  let completed = 0;
  const onJob = (job: { name: string; data: unknown }) => {
    if (job.name === 'stamp')
      latencies.push(wallClockMs() - (job.data as { sentAt: number }).sentAt);
  };
  const { worker, close } = inNest
    ? await (
        await import('./bullmq-nest-app')
      ).openBullInNest(place, concurrency, onJob)
    : await bareBull(onJob);
  worker.on('completed', () => completed++);
  const redis = mode === 'processing' ? await statsClient() : undefined;
  void worker.run();
  if (redis) {
    report(await timedDrain(() => completed, redis));
  } else {
    report({ ready: true });
    await whenDone(() => latencies.length >= expected, 20);
    report({ latencies } satisfies WorkerReport);
  }
  await close();
}

async function bareBull(
  onJob: (job: { name: string; data: unknown }) => void,
): Promise<{ worker: import('bullmq').Worker; close: () => Promise<void> }> {
  const { Worker } = await import('bullmq');
  const { bullConnection } = await import('./bullmq-side');
  const worker = new Worker(place.queue, async (job) => onJob(job), {
    connection: bullConnection(place),
    prefix: place.bullPrefix,
    concurrency,
    autorun: false,
  });
  await worker.waitUntilReady();
  return { worker, close: () => worker.close() };
}

const system = env.BENCH_SYSTEM as WorkerSystem;
(system === 'celeriac' ? celeriac() : bullmq(system === 'bullmq-nest')).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
