import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { spawnTs } from '../../test/support/spawn-ts';
import { AMQP_BENCH_URL } from './config';

/** Debian's Celery lives in the system Python, not the first python3 on PATH. */
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';

export type WorkerKind =
  'celeriac' | 'bare' | 'celery-threads' | 'celery-prefork';

/** A worker of `kind` on `queue` in a process of its own. */
export function spawnWorker(
  kind: WorkerKind,
  queue: string,
  concurrency: number,
): ChildProcess {
  const env = {
    AMQP_URL: AMQP_BENCH_URL,
    BENCH_QUEUE: queue,
    BENCH_CONCURRENCY: String(concurrency),
  };
  if (kind === 'celeriac' || kind === 'bare') {
    const script = path.join(__dirname, `${kind}-worker.ts`);
    return watch(
      spawnTs(script, env, { nodeArgs: nodeArgs(), detached: true }),
      kind,
    );
  }
  const pool = kind === 'celery-threads' ? 'threads' : 'prefork';
  const args = [
    ...['-m', 'celery', '-A', 'celery_bench', 'worker'],
    ...['-P', pool, '-c', String(concurrency), '-Q', queue],
    ...['--without-gossip', '--without-mingle', '--without-heartbeat'],
    ...['-l', 'warning', '-n', `bench-${process.pid}@%h`],
  ];
  return watch(
    spawn(PYTHON, args, {
      cwd: __dirname,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    }),
    kind,
  );
}

/** Extra node flags for the Node workers, e.g. `BENCH_WORKER_ARGS=--cpu-prof`. */
function nodeArgs(): string[] {
  return (process.env.BENCH_WORKER_ARGS ?? '').split(/\s+/).filter(Boolean);
}

/** Runs Celery's producer script: resolves with the seconds it took to send `count`. */
export function celerySend(queue: string, count: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      PYTHON,
      [path.join(__dirname, 'celery_bench.py'), 'send', queue, String(count)],
      {
        cwd: __dirname,
        env: { ...process.env, AMQP_URL: AMQP_BENCH_URL },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const match = /sent \d+ in ([\d.]+)/.exec(out);
      if (code === 0 && match) resolve(Number(match[1]));
      else reject(new Error(`celery send exited ${code}: ${err.slice(-2000)}`));
    });
  });
}

/** Stops a worker: SIGTERM, then SIGKILL (its whole process group) after a grace. */
export async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => resolve()),
  );
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Signals the worker's process group (Celery's prefork pool is several processes). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // gone already
  }
}

/** Echoes a worker's stderr when it dies on its own (a crash would look like a hang). */
function watch(child: ChildProcess, kind: string): ChildProcess {
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString()).slice(-4000);
  });
  child.stdout?.resume();
  child.once('exit', (code, signal) => {
    if (code !== 0 && code !== null && signal === null)
      process.stderr.write(`${kind} worker exited ${code}: ${err}\n`);
  });
  return child;
}
