import { ChildProcess, spawn } from 'node:child_process';

/** Runs a command to its end and resolves with its stdout; rejects with its output when it fails. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(
      () => child.kill('SIGKILL'),
      options.timeoutMs ?? 300_000,
    );
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else
        reject(
          new Error(
            `${command} ${args.join(' ')} (in ${options.cwd}) ended with ${code ?? signal}:\n${output}`,
          ),
        );
    });
  });
}

/** A long-running process in its own process group, its output kept. */
export class Background {
  output = '';
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;

  constructor(
    command: string,
    args: string[],
    cwd: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.child = spawn(command, args, {
      cwd,
      env,
      detached: true, // `nest start` runs node as its child: signal the whole group
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on(
      'data',
      (chunk: Buffer) => (this.output += chunk.toString()),
    );
    this.child.stderr!.on(
      'data',
      (chunk: Buffer) => (this.output += chunk.toString()),
    );
    this.exited = new Promise((resolve) =>
      this.child.once('exit', () => resolve()),
    );
  }

  /** Resolves once the output holds `text`; rejects if the process ends first or time runs out. */
  async waitFor(text: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.output.includes(text)) {
      if (this.child.exitCode !== null || this.child.signalCode !== null)
        throw new Error(`ended before printing "${text}":\n${this.output}`);
      if (Date.now() > deadline)
        throw new Error(`no "${text}" within ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** SIGTERM to the group; SIGKILL to what is left of it after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    signalGroup(this.child, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (groupAlive(this.child) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    signalGroup(this.child, 'SIGKILL');
    await this.exited;
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(-child.pid!, 0);
    return true;
  } catch {
    return false;
  }
}
