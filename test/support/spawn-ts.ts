/**
 * The one way tests and bench/ run TypeScript in a child process: `node -r
 * test/support/ts-register.js <file>.ts`, started by `spawnTs`. (bench/redis alone
 * transpiles ahead of time instead, so that no TypeScript compiler sits in the memory
 * of the workers whose RSS it measures: bench/redis/compile.ts.)
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface SpawnTsOptions {
  /** Flags for node before the script (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /** The checkout whose require hook and working directory are used (default: this one). */
  root?: string;
  /** Its own process group, so that a signal to `-pid` reaches every process it starts. */
  detached?: boolean;
  /** Where its stdout goes: piped to the parent (default), the parent's own, or nowhere. */
  stdout?: 'pipe' | 'inherit' | 'ignore';
  /** Where its stderr goes (default piped). */
  stderr?: 'pipe' | 'inherit' | 'ignore';
}

/** Runs a TypeScript file in a child `node` process, transpiled on require. */
export function spawnTs(
  script: string,
  env: Record<string, string> = {},
  options: SpawnTsOptions = {},
): ChildProcess {
  const root = resolve(options.root ?? ROOT);
  const register = join(root, 'test', 'support', 'ts-register.js');
  return spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '-r', register, resolve(script)],
    {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', options.stdout ?? 'pipe', options.stderr ?? 'pipe'],
      detached: options.detached ?? false,
    },
  );
}

/** Resolves with the first stdout line matching `pattern`; rejects if the child exits first. */
export function waitForLine(
  child: ChildProcess,
  pattern: RegExp,
  timeoutMs = 10_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let errors = '';
    const timer = setTimeout(
      () =>
        finish(
          new Error(
            `no line matching ${pattern} within ${timeoutMs} ms; stderr: ${errors}`,
          ),
        ),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer
        .split('\n')
        .find((candidate) => pattern.test(candidate));
      if (line !== undefined) finish(undefined, line);
    };
    const onError = (chunk: Buffer) => (errors += chunk.toString());
    const onExit = (code: number | null) =>
      finish(
        new Error(
          `child exited (${code}) before printing ${pattern}; stderr: ${errors}`,
        ),
      );
    const finish = (error?: Error, line?: string) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onError);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(line!);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onError);
    child.once('exit', onExit);
  });
}

/** Collects a child's stdout lines as they come. */
export function linesOf(child: ChildProcess): string[] {
  const lines: string[] = [];
  let partial = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  return lines;
}

/** Resolves once the child has exited (at once if it has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** SIGKILL, then waits until the process is gone. */
export async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = exited(child);
  child.kill('SIGKILL');
  await gone;
}
