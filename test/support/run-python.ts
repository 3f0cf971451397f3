import { spawnSync } from 'node:child_process';

/** Debian's Python, as the interop tests use: its pickle is the reference. */
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';

/** Runs a Python script with `input` on stdin and returns what it printed. */
export function runPython(script: string, input = ''): string {
  const run = spawnSync(PYTHON, ['-c', script], { input, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python failed: ${run.stderr}`);
  return run.stdout;
}
