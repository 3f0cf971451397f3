import { availableParallelism } from 'node:os';

/**
 * Where a worker runs its tasks: in child processes (Celery's prefork pool), each one
 * the same Nest module booted without HTTP, so tasks keep their injected providers.
 * See docs/isolation.md.
 */
export interface PoolOptions {
  /** How many child processes: a number, or 'auto' (the number of CPUs). Default 'auto'. */
  processes?: number | 'auto';
  /** Tasks one child runs at once (for async I/O tasks). Default 1, as Celery's prefork. */
  childConcurrency?: number;
  /** A child is replaced after this many tasks (Celery's worker_max_tasks_per_child). Default: never. */
  maxTasksPerChild?: number;
  /**
   * A child whose resident memory passed this many KiB after a task is replaced once that
   * task finished (Celery's worker_max_memory_per_child). Default: never.
   */
  maxMemoryPerChild?: number;
  /**
   * The script a child runs; it must call `bootstrapWorker` with the same module (which,
   * in a child, serves tasks instead of consuming). Default: the script this process was
   * started with (`process.argv[1]`).
   */
  entry?: string;
  /**
   * How long a task abandoned by its hard time limit (or a terminate) may take to stop
   * before its child is killed with SIGKILL, in milliseconds. Default 500.
   */
  killGraceMs?: number;
}

/** PoolOptions with every default applied. */
export interface ResolvedPoolOptions {
  processes: number;
  childConcurrency: number;
  maxTasksPerChild: number | null;
  /** KiB. */
  maxMemoryPerChild: number | null;
  entry: string | null;
  killGraceMs: number;
}

/** Set in the environment of a pool's children: `bootstrapWorker` then serves tasks. */
export const POOL_CHILD_ENV = 'CELERIAC_POOL_CHILD';

/** True in a child process of a worker's pool. */
export function isPoolChild(): boolean {
  return process.env[POOL_CHILD_ENV] === '1';
}

export function resolvePoolOptions(options: PoolOptions): ResolvedPoolOptions {
  const processes =
    options.processes === undefined || options.processes === 'auto'
      ? availableParallelism()
      : options.processes;
  return {
    processes: wholeNumber('pool processes', processes, 1),
    childConcurrency: wholeNumber(
      'pool childConcurrency',
      options.childConcurrency ?? 1,
      1,
    ),
    maxTasksPerChild:
      options.maxTasksPerChild === undefined
        ? null
        : wholeNumber('pool maxTasksPerChild', options.maxTasksPerChild, 1),
    maxMemoryPerChild:
      options.maxMemoryPerChild === undefined
        ? null
        : wholeNumber('pool maxMemoryPerChild', options.maxMemoryPerChild, 1),
    entry: options.entry ?? null,
    killGraceMs: wholeNumber('pool killGraceMs', options.killGraceMs ?? 500, 0),
  };
}

function wholeNumber(what: string, value: unknown, least: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < least) {
    throw new RangeError(
      `${what} must be a whole number of at least ${least}, got ${String(value)}`,
    );
  }
  return value;
}
