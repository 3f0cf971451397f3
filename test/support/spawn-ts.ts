import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
/** The one require hook for TypeScript in child processes (bench/ uses it too). */
const REGISTER = join(__dirname, 'ts-register.js');

/** Runs a TypeScript file in a child `node` process, transpiled on require. */
export function spawnTs(
  script: string,
  env: Record<string, string> = {},
  args: string[] = [],
): ChildProcess {
  return spawn(process.execPath, ['-r', REGISTER, script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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

export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
