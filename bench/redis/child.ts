import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { NODE_MODULES, compiledRoot } from './compile';

/** A bench worker process and the `BENCH {json}` lines it prints. */
export class BenchChild {
  private readonly lines: unknown[] = [];
  private readonly waiters: (() => void)[] = [];
  private stderr = '';
  private exitCode: number | null | undefined;
  readonly process: ChildProcess;

  constructor(env: Record<string, string>) {
    const worker = join(compiledRoot(), 'bench', 'redis', 'worker-child.js');
    // BENCH_WORKER_ARGS: node flags for the workers, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
    const flags =
      process.env.BENCH_WORKER_ARGS?.split(' ').filter(Boolean) ?? [];
    this.process = spawn(process.execPath, [...flags, worker], {
      env: { ...process.env, NODE_PATH: NODE_MODULES, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    this.process.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let end: number;
      while ((end = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        if (line.startsWith('BENCH '))
          this.lines.push(JSON.parse(line.slice(6)));
      }
      this.wake();
    });
    this.process.stderr!.on(
      'data',
      (chunk: Buffer) => (this.stderr += chunk.toString()),
    );
    this.process.on('exit', (code) => {
      this.exitCode = code;
      this.wake();
    });
  }

  /** The next report line; rejects when the child exits first or `timeoutMs` passes. */
  async next<T>(timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length === 0) {
      if (this.exitCode !== undefined)
        throw new Error(
          `bench worker exited (${this.exitCode}): ${this.stderr}`,
        );
      if (Date.now() > deadline)
        throw new Error(
          `bench worker silent for ${timeoutMs} ms: ${this.stderr}`,
        );
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
    return this.lines.shift() as T;
  }

  /** Waits for the child to exit (it does after its report), killing it after `ms`. */
  async exit(ms = 10_000): Promise<void> {
    if (this.exitCode !== undefined) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    const timer = setTimeout(() => this.process.kill('SIGKILL'), ms);
    await exited;
    clearTimeout(timer);
  }

  private wake(): void {
    this.waiters.splice(0).forEach((resolve) => resolve());
  }
}
