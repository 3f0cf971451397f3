import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Redis from 'ioredis';
import { RedisKeys } from '../../lib/transports/redis';
import { BenchPlace } from './names';
import { percentile } from '../stats';

const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';

/** True when `BENCH_REDIS_CELERY=1` and Python has Celery. */
export function celeryWanted(): boolean {
  if (process.env.BENCH_REDIS_CELERY !== '1') return false;
  const probe = spawnSync(PYTHON, ['-c', 'import celery'], { stdio: 'ignore' });
  if (probe.status !== 0)
    throw new Error(`BENCH_REDIS_CELERY=1 but ${PYTHON} cannot import celery`);
  return true;
}

function pythonEnv(place: BenchPlace): NodeJS.ProcessEnv {
  return {
    ...process.env,
    BENCH_QUEUE: place.queue,
    BENCH_REDIS_URL: place.redisUrl,
    BENCH_PREFIX: place.celeriacPrefix,
    PYTHONDONTWRITEBYTECODE: '1',
  };
}

/** `send_task` one at a time, in a Python process; tasks per second. */
export async function celeryEnqueueOne(
  place: BenchPlace,
  count: number,
): Promise<number> {
  const child = spawn(PYTHON, ['celery_bench.py', 'enqueue', String(count)], {
    cwd: __dirname,
    env: pythonEnv(place),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = await collect(child);
  const line = output.split('\n').find((l) => l.startsWith('BENCH '));
  if (!line) throw new Error(`celery producer printed no figure: ${output}`);
  const { ms } = JSON.parse(line.slice(6)) as { ms: number };
  return (count * 1000) / ms;
}

export interface CeleryRun {
  /** Tasks done (all of them, or those done when the time ran out). */
  done: number;
  ms: number;
  cpuUsPerTask: number;
  peakMb: number;
  steadyMb: number;
}

/**
 * A Celery worker (`-P threads -c <concurrency>`, `-P solo` for 1) drains the pre-filled queue: timed
 * from its "ready" line to the moment the queue and kombu's `unacked` are both empty,
 * or stopped after `maxMs` (Celery is slow at low concurrency), counting what was done.
 */
export async function celeryProcess(
  place: BenchPlace,
  concurrency: number,
  count: number,
  maxMs: number,
): Promise<CeleryRun> {
  const keys = new RedisKeys(place.celeriacPrefix);
  const redis = new Redis(place.redisUrl);
  const worker = spawn(
    PYTHON,
    [
      '-m',
      'celery',
      '-A',
      'celery_bench',
      'worker',
      // At concurrency 1 the threads pool stalls once its prefetch is taken (acks
      // late): Celery's own choice for one task at a time is the solo pool.
      ...(concurrency === 1
        ? ['-P', 'solo']
        : ['-P', 'threads', '-c', String(concurrency)]),
      '-Q',
      place.queue,
      '-l',
      'INFO',
      '--without-heartbeat',
      '--without-mingle',
      '--without-gossip',
    ],
    {
      cwd: __dirname,
      env: pythonEnv(place),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  worker.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  worker.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  try {
    await until(
      () => / ready\.\s/.test(log),
      60_000,
      () => `celery worker not ready: ${log}`,
    );
    const started = performance.now();
    const cpuStart = cpuTicks(worker.pid!);
    const rss: number[] = [];
    let emptyTwice = 0;
    let left = count;
    await until(
      async () => {
        rss.push(rssOf(worker.pid!));
        const [waiting, held] = await Promise.all([
          redis.llen(keys.list(place.queue)),
          redis.hlen(keys.unacked),
        ]);
        left = waiting + held;
        emptyTwice = left === 0 ? emptyTwice + 1 : 0;
        return emptyTwice >= 2 || performance.now() - started > maxMs;
      },
      maxMs + 60_000,
      () => `celery worker did not finish: ${log.slice(-2000)}`,
    );
    const ms = performance.now() - started;
    const done = count - left;
    const cpuMs = (cpuTicks(worker.pid!) - cpuStart) * 10; // USER_HZ is 100
    const secondHalf = rss.slice(Math.floor(rss.length / 2));
    return {
      done,
      ms,
      cpuUsPerTask: (cpuMs * 1000) / Math.max(1, done),
      peakMb: Math.max(...rss),
      steadyMb: percentile(secondHalf, 50),
    };
  } finally {
    worker.kill('SIGTERM');
    const timer = setTimeout(() => worker.kill('SIGKILL'), 10_000);
    if (worker.exitCode === null && worker.signalCode === null)
      await new Promise((resolve) => worker.once('exit', resolve));
    clearTimeout(timer);
    redis.disconnect();
  }
}

async function until(
  done: () => boolean | Promise<boolean>,
  timeoutMs: number,
  failure: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(failure());
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function collect(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`exit ${code}: ${output}`)),
    );
  });
}

/** utime + stime of a process, in clock ticks (/proc/<pid>/stat fields 14 and 15). */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Resident set size in MB (/proc/<pid>/status VmRSS). */
function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}
