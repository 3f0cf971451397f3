import { TaskMetadata, TaskOptions } from '../options/task-options';
import { Rate, parseRate } from '../rate-limit/rate';
import { durationOptionMs } from './duration-option';
import { InvalidTaskOptionError } from './errors';
import { RetryPolicy, resolveRetryPolicy } from './retry-policy';

/** How a worker runs one task: its options and the module's defaults, checked once. */
export interface TaskPolicy {
  retry: RetryPolicy;
  /** Seconds; null when unset. A message's `timelimit` header wins over these. */
  timeLimit: number | null;
  softTimeLimit: number | null;
  rateLimit: Rate | null;
  fleetRateLimit: Rate | null;
  deadLetter: boolean;
  acksLate: boolean;
  /** Store STARTED before the run (Celery's track_started). */
  trackStarted: boolean;
  /** Runs in a child process of the worker's pool (`isolate: 'process'`). */
  isolated: boolean;
  /** A message whose child died is delivered again (acks late only). */
  rejectOnWorkerLost: boolean;
}

/**
 * The policy of a task, or InvalidTaskOptionError naming the task and the value that
 * does not parse (so a typo fails the bootstrap, not the first run).
 */
export function resolveTaskPolicy(
  metadata: TaskMetadata,
  defaults: Omit<TaskOptions, 'name'>,
  hasFleetStore: boolean,
): TaskPolicy {
  const where = `task "${metadata.name}"`;
  const options: TaskOptions = { ...defaults, ...definedOnly(metadata) };
  const acksLate = options.acksLate ?? true;
  const deadLetter = options.deadLetter ?? false;
  if (deadLetter && !acksLate) {
    throw new InvalidTaskOptionError(
      where,
      'deadLetter',
      true,
      'a task acked before it runs (acksLate: false) cannot be dead-lettered; set deadLetter: false on it',
    );
  }
  const fleetRateLimit = rateOf(
    where,
    'fleetRateLimit',
    options.fleetRateLimit,
  );
  if (fleetRateLimit && !hasFleetStore) {
    throw new InvalidTaskOptionError(
      where,
      'fleetRateLimit',
      options.fleetRateLimit,
      'fleet-wide limits need a store: set the module option rateLimitStore (redis://...)',
    );
  }
  priorityOf(where, options.priority);
  compressionOf(where, options.compression);
  return {
    retry: resolveRetryPolicy(where, options),
    timeLimit: timeLimitOf(where, 'timeLimit', options.timeLimit),
    softTimeLimit: timeLimitOf(where, 'softTimeLimit', options.softTimeLimit),
    rateLimit: rateOf(where, 'rateLimit', options.rateLimit),
    fleetRateLimit,
    deadLetter,
    acksLate,
    trackStarted: options.trackStarted ?? false,
    isolated: isolateOf(where, options.isolate),
    rejectOnWorkerLost: options.rejectOnWorkerLost ?? false,
  };
}

const COMPRESSIONS: readonly unknown[] = ['gzip', 'zlib', 'brotli'];

function compressionOf(where: string, value: unknown): void {
  if (value === undefined || COMPRESSIONS.includes(value)) return;
  throw new InvalidTaskOptionError(
    where,
    'compression',
    value,
    "use 'gzip' (kombu's application/x-gzip) or 'brotli'; bzip2, lzma and zstd are not in Node's zlib",
  );
}

function isolateOf(where: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (value === 'process') return true;
  throw new InvalidTaskOptionError(
    where,
    'isolate',
    value,
    "the only isolation is 'process'",
  );
}

/**
 * A priority, 0 to 9 as Celery's brokers take it (0 runs first on Redis, 9 on RabbitMQ),
 * or undefined when unset. Anything else is refused: RabbitMQ would clamp it, Redis
 * would file it under a priority that does not exist.
 */
export function priorityOf(where: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= 0 &&
    value <= 9
  )
    return value;
  throw new InvalidTaskOptionError(
    where,
    'priority',
    value,
    'a whole number from 0 to 9',
  );
}

/** A time limit option in seconds, or null when unset; more than 0. */
export function timeLimitOf(
  where: string,
  option: string,
  value: unknown,
): number | null {
  const ms = durationOptionMs(where, option, value, 'more than 0');
  return ms === undefined ? null : ms / 1000;
}

function rateOf(where: string, option: string, value: unknown): Rate | null {
  if (value === undefined) return null;
  try {
    return parseRate(value);
  } catch (error) {
    throw new InvalidTaskOptionError(
      where,
      option,
      value,
      (error as Error).message,
    );
  }
}

/** A task's own options, without keys set to undefined (they must not hide a default). */
function definedOnly(metadata: TaskMetadata): Partial<TaskMetadata> {
  return Object.fromEntries(
    Object.entries(metadata).filter(([, value]) => value !== undefined),
  );
}
