import { ChildProcess, fork } from 'node:child_process';
import { POOL_CHILD_ENV } from '../../options/pool-options';
import { FromChild, ToChild } from './ipc-messages';
import { PoolChildStartError } from './errors';

/** What a child tells its pool. */
export interface PoolChildEvents<Job> {
  done(child: PoolChild<Job>, message: FromChild & { t: 'done' }): void;
  exit(
    child: PoolChild<Job>,
    code: number | null,
    signal: NodeJS.Signals | null,
  ): void;
}

/** How long a child asked to exit may take to close its app before it is killed. */
const EXIT_GRACE_MS = 5_000;

/**
 * The worker's handle on one child process of its pool: forked on `entry` with the
 * worker's own node flags (a TypeScript require hook, say) and the pool-child
 * environment variable, so that the script's `bootstrapWorker` serves tasks.
 */
export class PoolChild<Job = unknown> {
  readonly process: ChildProcess;
  /** Resolves once the child booted the app; rejects if it exits first. */
  readonly ready: Promise<void>;
  isReady = false;
  /** Takes no new task; leaves once idle (recycled, shrunk, or being killed). */
  retiring = false;
  tasksRun = 0;
  /** Runs under way in this child, by pool sequence number. */
  readonly running = new Map<number, Job>();
  private exited = false;

  constructor(
    readonly entry: string,
    events: PoolChildEvents<Job>,
  ) {
    this.process = fork(entry, process.argv.slice(2), {
      env: { ...process.env, [POOL_CHILD_ENV]: '1' },
      execArgv: process.execArgv,
      serialization: 'json',
    });
    this.process.on('error', () => undefined); // a send to a dead child: its exit says it
    this.ready = new Promise((resolve, reject) => {
      this.process.on('message', (message: FromChild) => {
        if (message.t === 'done') events.done(this, message);
        else {
          this.isReady = true;
          resolve();
        }
      });
      this.process.once('exit', (code, signal) => {
        this.exited = true;
        if (!this.isReady) reject(new PoolChildStartError(entry, code, signal));
        events.exit(this, code, signal);
      });
    });
    this.ready.catch(() => undefined); // the pool reads it where it waits
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get alive(): boolean {
    return !this.exited;
  }

  send(message: ToChild): void {
    if (this.process.connected) this.process.send(message);
  }

  /** Asks the child to close its app and exit; kills it if it has not within a few seconds. */
  close(): void {
    this.retiring = true;
    if (this.exited) return;
    this.send({ t: 'exit' });
    setTimeout(() => this.kill(), EXIT_GRACE_MS).unref();
  }

  /** SIGKILL: nothing in the child runs again. */
  kill(): void {
    this.retiring = true;
    if (!this.exited) this.process.kill('SIGKILL');
  }

  /** Resolves once the child has exited. */
  whenExited(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => this.process.once('exit', () => resolve()));
  }
}
