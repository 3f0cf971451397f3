import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Real Python Celery for the interop tests: Debian's python3-celery, run with
 * `/usr/bin/python3` (PYTHON overrides it). Every process is started in its own
 * process group and tracked, so `stopPythonProcesses()` (afterAll) kills it and its
 * children even when a test failed midway; the Python side also exits by itself when
 * the test process is gone (INTEROP_PARENT_PID).
 */
export const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
export const PYTHON_DIR = join(__dirname, '..', 'python');

const running = new Set<ChildProcess>();

/** How the Celery app in test/interop/python/interop_app.py is configured. */
export interface CeleryConfig {
  brokerUrl: string;
  backendUrl: string;
  /** kombu's global_keyprefix (Redis broker); also the prefix of what tasks record. */
  keyPrefix?: string;
  /** kombu's visibility_timeout in seconds (Redis broker). */
  visibilityTimeout?: number;
  acksLate?: boolean;
  /** worker_prefetch_multiplier. */
  prefetch?: number;
  /** The Redis where tasks record what they did. */
  storeUrl?: string;
  /** task_queue_max_priority: RabbitMQ queues are declared with x-max-priority. */
  maxPriority?: number;
  /** database_table_schemas of a db+postgresql:// backend (both tables). */
  dbSchema?: string;
  /** result_extended (the database backend reads name, args... only then). */
  resultExtended?: boolean;
  /** PEM files for `rediss://` / `amqps://`: broker_use_ssl (and redis_backend_use_ssl). */
  tls?: { ca: string; cert: string; key: string };
  /** The master's name on `sentinel://` broker and backend URLs (kombu's master_name). */
  sentinelMaster?: string;
}

export function celeryEnv(config: CeleryConfig): Record<string, string> {
  const env: Record<string, string> = {
    CELERY_BROKER_URL: config.brokerUrl,
    CELERY_RESULT_BACKEND: config.backendUrl,
    INTEROP_PARENT_PID: String(process.pid),
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
  };
  if (config.keyPrefix) env.INTEROP_KEY_PREFIX = config.keyPrefix;
  if (config.visibilityTimeout !== undefined)
    env.INTEROP_VISIBILITY_TIMEOUT = String(config.visibilityTimeout);
  if (config.acksLate) env.INTEROP_ACKS_LATE = '1';
  if (config.prefetch !== undefined)
    env.INTEROP_PREFETCH = String(config.prefetch);
  if (config.storeUrl) env.INTEROP_STORE_URL = config.storeUrl;
  if (config.maxPriority !== undefined)
    env.INTEROP_MAX_PRIORITY = String(config.maxPriority);
  if (config.dbSchema) env.INTEROP_DB_SCHEMA = config.dbSchema;
  if (config.resultExtended) env.INTEROP_RESULT_EXTENDED = '1';
  if (config.tls) {
    env.INTEROP_SSL_CA = config.tls.ca;
    env.INTEROP_SSL_CERT = config.tls.cert;
    env.INTEROP_SSL_KEY = config.tls.key;
  }
  if (config.sentinelMaster)
    env.INTEROP_SENTINEL_MASTER = config.sentinelMaster;
  return env;
}

function spawnPython(
  args: string[],
  env: Record<string, string>,
  stdin: 'pipe' | 'ignore',
): ChildProcess {
  const child = spawn(PYTHON, args, {
    cwd: PYTHON_DIR,
    env: { ...process.env, ...env },
    stdio: [stdin, 'pipe', 'pipe'],
    detached: true, // its own process group: killed as a whole
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** A `celery worker` process of the interop app. */
export class CeleryWorker {
  private log = '';

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const append = (chunk: Buffer) => {
      this.log += chunk.toString();
      if (this.log.length > 200_000) this.log = this.log.slice(-100_000);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
  }

  /**
   * Starts `celery -A interop_app worker` on `queues` and resolves once it logged
   * "ready." (it then consumes). Rejects with its output if it exits first.
   */
  static async start(options: {
    name: string;
    queues: string[];
    config: CeleryConfig;
    concurrency?: number;
    /** Send task events and heartbeats (`-E`, no `--without-heartbeat`). */
    events?: boolean;
    /**
     * Default `threads`, and `prefork` with events: a threads-pool worker now and then
     * never publishes a task-succeeded it buffered (about one run in five here: the task
     * stays STARTED while its heartbeats go on), most likely because its pool thread asks
     * the event loop for the flush while the loop swaps its set of ready callbacks, and
     * nothing flushes again until the next task event. Prefork sends from the loop itself.
     */
    pool?: 'threads' | 'prefork' | 'solo';
  }): Promise<CeleryWorker> {
    const pool = options.pool ?? (options.events ? 'prefork' : 'threads');
    const child = spawnPython(
      [
        '-m',
        'celery',
        '-A',
        'interop_app',
        'worker',
        '-P',
        pool,
        '-c',
        String(options.concurrency ?? 4),
        '-Q',
        options.queues.join(','),
        '--without-gossip',
        '--without-mingle',
        ...(options.events ? ['-E'] : ['--without-heartbeat']),
        '-n',
        `${options.name}@%h`,
        '-l',
        'INFO',
      ],
      celeryEnv(options.config),
      'ignore',
    );
    const worker = new CeleryWorker(options.name, child);
    await worker.waitForLog(/ ready\.\s*$/m, 30_000);
    return worker;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get output(): string {
    return this.log;
  }

  /** Resolves once the worker's output matches `pattern`. */
  waitForLog(pattern: RegExp, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (pattern.test(this.log)) return finish();
      };
      const onExit = (code: number | null, signal: string | null) =>
        finish(
          new Error(
            `celery worker ${this.name} exited (${code ?? signal}) before ${pattern}:\n${this.log}`,
          ),
        );
      const timer = setTimeout(
        () =>
          finish(
            new Error(
              `celery worker ${this.name}: no ${pattern} within ${timeoutMs} ms:\n${this.log}`,
            ),
          ),
        timeoutMs,
      );
      const finish = (error?: Error) => {
        clearTimeout(timer);
        this.child.stdout?.off('data', check);
        this.child.stderr?.off('data', check);
        this.child.off('exit', onExit);
        if (error) reject(error);
        else resolve();
      };
      this.child.stdout?.on('data', check);
      this.child.stderr?.on('data', check);
      this.child.once('exit', onExit);
      check();
    });
  }

  /** Sends a signal to the worker's whole process group. */
  signal(signal: NodeJS.Signals): void {
    signalGroup(this.child, signal);
  }

  /** SIGKILL, then waits until the process is gone. */
  async kill(): Promise<void> {
    await killAndWait(this.child);
  }
}

/** The JSON `send.py` prints for one call (see its docstring). */
export interface PythonCallReport {
  id: string;
  state?: string;
  result?: unknown;
  exc_type?: string;
  exc_module?: string;
  exc_message?: string;
  is_instance?: Record<'TypeError' | 'ValueError' | 'Exception', boolean>;
  traceback?: string | null;
  /** On FAILURE: what `get()` raises when it propagates, as `module.Name`. */
  raised?: string;
  /** `result_extended` fields as AsyncResult reads them (null without). */
  name?: string | null;
  args?: unknown[] | null;
  kwargs?: Record<string, unknown> | null;
  worker?: string | null;
  retries?: number | null;
  queue?: string | null;
  date_done?: string | null;
  error?: string;
}

export interface PythonCall {
  name: string;
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  /** apply_async options; `eta`/`expires` may be seconds from now. */
  options?: Record<string, unknown>;
  /** Wait this many seconds for the result (AsyncResult.get). */
  wait?: number;
  /** Revoke it (`app.control.revoke`) right after sending it. */
  revoke?: boolean;
}

/**
 * Sends tasks from Python (`send.py`): each call with `app.send_task`, then waits for
 * those that ask to; `bulk` sends one task `count` times. Resolves with what it printed.
 */
export async function sendFromPython(
  config: CeleryConfig,
  request: {
    calls?: PythonCall[];
    bulk?: { name: string; args?: unknown[]; count: number; options?: object };
    /** Tasks sent elsewhere, read with `AsyncResult(id).get()`. */
    results?: { id: string; wait?: number }[];
    /** One `chain(*signatures).apply_async()`. */
    chain?: Omit<PythonCall, 'wait'>[];
    /** One canvas sent with apply_async, its result waited for (send.py's `workflow`). */
    workflow?: PythonWorkflow;
    /** A group saved elsewhere, read with `GroupResult.restore(id)` and `get()`. */
    restore_group?: string;
    /** Stores a result as this Celery does under `storeOwn`, then sorts `ids` and it by date_done. */
    sort_by_date_done?: { ids: string[]; store_own: string };
  },
): Promise<PythonReports> {
  const output = await runPythonScript('send.py', config, request);
  return JSON.parse(output) as PythonReports;
}

/** A step of a Python workflow: a signature, immutable (`.si()`) when asked. */
export type PythonStep = Omit<PythonCall, 'wait' | 'revoke'> & {
  immutable?: boolean;
};

/** `chain(*steps)`, `group(steps)` or `chord(header, body)`, built in Python. */
export type PythonWorkflow = (
  | { chain: PythonStep[] }
  | { group: PythonStep[] }
  | { chord: { header: PythonStep[]; body: PythonStep } }
  | { map: PythonStep; it: unknown[] }
  | { starmap: PythonStep; it: unknown[][] }
  | { chunks: PythonStep; it: unknown[][]; n: number }
) & { wait?: number };

export interface PythonReports {
  /** The workflow's result, and the ids of its parents (first first). */
  workflow?: PythonCallReport & { parents: string[] };
  /** What GroupResult.restore read, or null when nothing was saved. */
  restored?: { id: string; ids: string[]; values: unknown[] } | null;
  calls: PythonCallReport[];
  bulk?: string[];
  results?: PythonCallReport[];
  /** The chain's steps in order: the first waited for, the others' state only. */
  chain?: PythonCallReport[];
  /** The ids sorted by date_done, or the TypeError Python raised. */
  sorted?: string[] | string;
}

/** Runs a script of test/interop/python with `input` as JSON on stdin; resolves with its stdout. */
export function runPythonScript(
  script: string,
  config: CeleryConfig,
  input: unknown,
  timeoutMs = 60_000,
): Promise<string> {
  const child = spawnPython([script], celeryEnv(config), 'pipe');
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin?.end(JSON.stringify(input));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signalGroup(child, 'SIGKILL');
      reject(new Error(`${script} took more than ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else
        reject(
          new Error(
            `${script} exited (${code ?? signal}):\n${stderr}${stdout}`,
          ),
        );
    });
  });
}

/**
 * Celery's EventReceiver (test/interop/python/event_receiver.py) on the test's broker:
 * every event it heard, parsed, in order.
 */
export class PythonEventReceiver {
  readonly events: Record<string, unknown>[] = [];
  private buffered = '';
  private stderr = '';

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => {
      this.buffered += chunk.toString();
      const lines = this.buffered.split('\n');
      this.buffered = lines.pop()!;
      for (const line of lines)
        if (line.startsWith('{'))
          this.events.push(JSON.parse(line) as Record<string, unknown>);
        else if (line === 'READY') this.ready = true;
    });
    child.stderr?.on(
      'data',
      (chunk: Buffer) => (this.stderr += chunk.toString()),
    );
  }

  private ready = false;

  /** Starts it and resolves once it consumes. */
  static async start(config: CeleryConfig): Promise<PythonEventReceiver> {
    const receiver = new PythonEventReceiver(
      spawnPython(['event_receiver.py'], celeryEnv(config), 'ignore'),
    );
    const until = Date.now() + 30_000;
    while (!receiver.ready) {
      if (receiver.child.exitCode !== null || Date.now() > until)
        throw new Error(
          `the event receiver did not start:\n${receiver.stderr}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return receiver;
  }

  /** Resolves with the first event (heard so far or later) that `match` accepts. */
  async waitFor(
    match: (event: Record<string, unknown>) => boolean,
    timeoutMs = 15_000,
  ): Promise<Record<string, unknown>> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      if (Date.now() > until)
        throw new Error(
          `no such event within ${timeoutMs} ms; heard: ${this.events.map((e) => `${String(e.type)}@${String(e.hostname)}`).join(', ')}\n${this.stderr}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  stop(): Promise<void> {
    return killAndWait(this.child);
  }
}

/** Kills every Python process this test file started (afterAll), and waits for them. */
export async function stopPythonProcesses(): Promise<void> {
  await Promise.all([...running].map((child) => killAndWait(child)));
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  signalGroup(child, 'SIGKILL');
  await exited;
}

// Last resort when the test process exits without its afterAll (a crash, a timeout).
process.once('exit', () => {
  for (const child of running) signalGroup(child, 'SIGKILL');
});

/** What one `celery` command printed, and how it exited. */
export interface CeleryCliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `celery inspect|control <args> -d <node> --json -t 5`: the real CLI, to one node. */
export function celeryRemote(
  config: CeleryConfig,
  kind: 'inspect' | 'control',
  node: string,
  args: string[],
): Promise<CeleryCliResult> {
  return celeryCli(config, [kind, ...args, '-d', node, '--json', '-t', '5']);
}

/**
 * Runs the real Celery CLI on the interop app (`python3 -m celery -A interop_app ...`),
 * configured like the test's Celery side; never rejects on a non-zero exit.
 */
export function celeryCli(
  config: CeleryConfig,
  args: string[],
  timeoutMs = 60_000,
): Promise<CeleryCliResult> {
  const child = spawnPython(
    ['-m', 'celery', '-A', 'interop_app', ...args],
    celeryEnv(config),
    'ignore',
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signalGroup(child, 'SIGKILL');
      reject(
        new Error(`celery ${args.join(' ')} took more than ${timeoutMs} ms`),
      );
    }, timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
