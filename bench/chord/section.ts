import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { TaskClient, chord } from '../../lib';
import { BenchSection, Measurement } from '../report';
import { percentile } from '../stats';
import { ChordTasks, openChordApp } from './chord-app';
import { newChordPlace } from './chord-place';
import { deleteKeys } from '../../test/support/redis-keys';

const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const TS_REGISTER = join(
  __dirname,
  '..',
  '..',
  'test',
  'support',
  'ts-register.js',
);

export interface ChordBenchSizes {
  size: number;
  /** At least 2: the first is untimed. */
  rounds: number;
  concurrency: number;
}

/** BENCH_CHORD_SIZE (1000 header tasks), BENCH_CHORD_ROUNDS (4, the first untimed), BENCH_CHORD_CONCURRENCY (8). */
export function chordSizes(env = process.env): ChordBenchSizes {
  return {
    size: Number(env.BENCH_CHORD_SIZE ?? 1000),
    rounds: Math.max(2, Number(env.BENCH_CHORD_ROUNDS ?? 4)),
    concurrency: Number(env.BENCH_CHORD_CONCURRENCY ?? 8),
  };
}

/**
 * One chord of `size` header tasks (`bench.add(i, i)`) and a body (`bench.tsum`) on
 * Redis, from sending it to reading the body's result, Celeriac against Celery 5.2 on
 * the same Redis: both count the header natively (`.j` / `.t` / `.s` keys), neither
 * sends celery.chord_unlock. Each worker runs in its own process at the same
 * concurrency (Celery `-P threads`); the producer waits on the body's result. The
 * median of the rounds after the first (a warm-up).
 */
export function chordSection(
  sizes: ChordBenchSizes = chordSizes(),
  log: (line: string) => void = (line) => console.log(line),
): BenchSection {
  return {
    name: 'chord',
    baseline: 'celery',
    run: async () => {
      const { size, rounds, concurrency } = sizes;
      const scenario = `chord of ${size} header tasks, c=${concurrency}`;
      const measurements: Measurement[] = [];
      const record = (system: string, times: number[]) => {
        const timed = times.slice(1);
        const value = percentile(timed, 50);
        log(
          `  ${system.padEnd(8)} ${scenario}: ${value.toFixed(0)} ms median (${timed.map((t) => t.toFixed(0)).join(', ')})`,
        );
        measurements.push({
          section: 'chord',
          scenario,
          system,
          value,
          unit: 'ms',
          better: 'lower',
        });
      };
      record('celeriac', await celeriacRounds(size, rounds, concurrency));
      record('celery', await celeryRounds(size, rounds, concurrency));
      return measurements;
    },
  };
}

async function celeriacRounds(
  size: number,
  rounds: number,
  concurrency: number,
): Promise<number[]> {
  const place = newChordPlace('celeriac');
  const worker = spawn(
    process.execPath,
    ['-r', TS_REGISTER, join(__dirname, 'worker-child.ts')],
    {
      env: {
        ...process.env,
        BENCH_PLACE: JSON.stringify(place),
        BENCH_CONCURRENCY: String(concurrency),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const producer = await openChordApp(place, 0);
  try {
    await waitForLine(worker, /^BENCH \{"ready":true\}/m, 'celeriac worker');
    const client = producer.get(TaskClient);
    const expected = size * (size - 1);
    const times: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const started = performance.now();
      const header = Array.from({ length: size }, (_, i) =>
        client.signature(ChordTasks, 'add', [i, i]),
      );
      const result = await chord(
        header,
        client.signature(ChordTasks, 'tsum'),
      ).applyAsync();
      const value = await result.get({ timeout: 600 });
      times.push(performance.now() - started);
      if (value !== expected)
        throw new Error(`chord returned ${value}, expected ${expected}`);
    }
    return times;
  } finally {
    await producer.close();
    await stop(worker);
    await deleteKeys(place.prefix, place.redisUrl);
  }
}

async function celeryRounds(
  size: number,
  rounds: number,
  concurrency: number,
): Promise<number[]> {
  const place = newChordPlace('celery');
  const env = {
    ...process.env,
    BENCH_QUEUE: place.queue,
    BENCH_REDIS_URL: place.redisUrl,
    BENCH_PREFIX: place.prefix,
    PYTHONDONTWRITEBYTECODE: '1',
  };
  const worker = spawn(
    PYTHON,
    [
      '-m',
      'celery',
      '-A',
      'chord_bench',
      'worker',
      '-P',
      'threads',
      '-c',
      String(concurrency),
      '-Q',
      place.queue,
      '-l',
      'INFO',
      '--without-heartbeat',
      '--without-mingle',
      '--without-gossip',
    ],
    { cwd: __dirname, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    await waitForLine(worker, / ready\.\s/, 'celery worker');
    const producer = spawn(
      PYTHON,
      ['chord_bench.py', 'chord', String(size), String(rounds)],
      { cwd: __dirname, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const line = await waitForLine(producer, /^BENCH .*$/m, 'celery producer');
    return (JSON.parse(line.slice(6)) as { ms: number[] }).ms;
  } finally {
    await stop(worker);
    await deleteKeys(place.prefix, place.redisUrl);
  }
}

/** Resolves with the first match of `pattern` in the child's output; rejects if it exits first. */
function waitForLine(
  child: ChildProcess,
  pattern: RegExp,
  what: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        child.stdout!.off('data', onData);
        child.stderr!.off('data', onData);
        child.off('exit', onExit);
        resolve(match[0]);
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`${what} exited (${code}): ${output.slice(-3000)}`));
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
