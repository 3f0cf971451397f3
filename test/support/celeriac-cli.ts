import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** What one `celeriac` command printed, and how it exited. */
export interface CeleriacRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the `celeriac` CLI from the sources (lib/cli/main.ts) in a child process, as a
 * user would: stdin is not a terminal, colours are off. Never rejects on a non-zero exit.
 */
export function celeriac(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<CeleriacRun> {
  const child = spawn(
    process.execPath,
    [
      '-r',
      join(ROOT, 'test', 'support', 'ts-register.js'),
      join(ROOT, 'lib', 'cli', 'main.ts'),
      ...args,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`celeriac ${args.join(' ')} took more than ${timeoutMs} ms`),
      );
    }, timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The JSON a `celeriac ... --json` printed, or an error that shows what it printed. */
export function jsonOf<T = unknown>(run: CeleriacRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(
      `not JSON (exit ${run.code}):\nstdout: ${run.stdout}\nstderr: ${run.stderr}`,
    );
  }
}
