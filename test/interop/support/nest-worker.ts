import { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { killAndWait, spawnTs, waitForLine } from '../../support/spawn-ts';

const running = new Set<ChildProcess>();

/** Options of the worker process in nest-worker.child.ts (see there). */
export interface NestWorkerEnv {
  /** Where tasks record their runs; also the broker unless BROKER_URL is set. */
  REDIS_URL: string;
  BROKER_URL?: string;
  /** AMQP: the delay levels' name prefix. */
  DELAY_PREFIX?: string;
  RESULTS_URL: string;
  /** Redis: the transport's keyPrefix; also the prefix of the run's records. */
  KEY_PREFIX: string;
  QUEUE: string;
  WORKER_NAME: string;
  CONCURRENCY?: string;
  LEASE_MS?: string;
  RENEW_INTERVAL_MS?: string;
  SWEEP_INTERVAL_MS?: string;
  VISIBILITY_TIMEOUT?: string;
}

/** A Celeriac worker process (nest-worker.child.ts); tracked so afterAll can kill it. */
export class NestWorkerProcess {
  private log = '';

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const append = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString()).slice(-100_000);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
  }

  /** Starts it and resolves once it consumes. */
  static async start(env: NestWorkerEnv): Promise<NestWorkerProcess> {
    const child = spawnTs(join(__dirname, 'nest-worker.child.ts'), {
      ...env,
      PARENT_PID: String(process.pid),
    });
    running.add(child);
    child.once('exit', () => running.delete(child));
    const worker = new NestWorkerProcess(env.WORKER_NAME, child);
    await waitForLine(child, /^ready$/, 30_000);
    return worker;
  }

  get output(): string {
    return this.log;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** SIGKILL, then waits until the process is gone. */
  async kill(): Promise<void> {
    await killAndWait(this.child);
  }
}

/** Kills every worker process this test file started (afterAll). */
export async function stopNestWorkers(): Promise<void> {
  await Promise.all([...running].map((child) => killAndWait(child)));
}
