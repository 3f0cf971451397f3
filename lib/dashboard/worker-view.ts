/** One worker of the fleet as the dashboard shows it, Nest or Python alike. */
export interface WorkerView {
  /** Its node name: `celeriac@web-1`, `celery@host`. */
  node: string;
  /** `Node.js` for Celeriac, `Python` for Celery. */
  language: string;
  /** What the worker says it is (`celeriac 0.1.0`, `py-celery`). */
  software: string;
  /** How many tasks it runs at once (its pool's max-concurrency); null when unknown. */
  concurrency: number | null;
  /** Tasks running now; null when it did not say. */
  active: number | null;
  /** Tasks it received since it started (sum of Celery's `total`). */
  processed: number;
  /** The host's load average (1, 5, 15 min) when a heartbeat told it; else null. */
  load: number[] | null;
  /** `active / concurrency`, 0..1, when both are known. */
  busy: number | null;
  /** Queues it consumes. */
  queues: string[];
  pid: number | null;
  /** Seconds since it started. */
  uptime: number | null;
  /** The last time it answered (ISO 8601). */
  lastSeen: string;
  /** Its last heartbeat event (ISO 8601); null when none was heard. */
  lastHeartbeat: string | null;
  /** It answered the last call; false: it was seen before and has gone quiet. */
  online: boolean;
}

/** The replies of one node to `inspect stats`, `active` and `active_queues`. */
export interface NodeReplySet {
  stats?: unknown;
  active?: unknown;
  activeQueues?: unknown;
}

/**
 * A worker's view from its remote-control replies. Celery's `stats` carries no
 * software name (only heartbeats do); a node that does not say `sw_ident` is Celery.
 */
export function workerView(
  node: string,
  replies: NodeReplySet,
  seenAt: Date,
): WorkerView {
  const stats = record(replies.stats);
  const pool = record(stats.pool);
  const concurrency = numberOr(pool['max-concurrency'], null);
  const active = Array.isArray(replies.active) ? replies.active.length : null;
  const total = record(stats.total);
  const processed = Object.values(total).reduce<number>(
    (sum, count) => sum + numberOr(count, 0),
    0,
  );
  return {
    node,
    ...workerSoftware(stats.sw_ident, stats.sw_ver),
    concurrency,
    active,
    processed,
    load: null,
    busy:
      concurrency && active !== null ? Math.min(1, active / concurrency) : null,
    queues: Array.isArray(replies.activeQueues)
      ? replies.activeQueues
          .map((queue) => record(queue).name)
          .filter((name): name is string => typeof name === 'string')
      : [],
    pid: numberOr(stats.pid, null),
    uptime: numberOr(stats.uptime, null),
    lastSeen: seenAt.toISOString(),
    lastHeartbeat: null,
    online: true,
  };
}

/**
 * A worker's language and software from its `sw_ident` and `sw_ver` (stats reply or
 * heartbeat). Celery reads `py-celery` without its version: its heartbeats carry one,
 * its stats do not, and its row reads the same from either.
 */
export function workerSoftware(
  swIdent: unknown,
  swVer: unknown,
): Pick<WorkerView, 'language' | 'software'> {
  const ident = typeof swIdent === 'string' && swIdent !== '' ? swIdent : null;
  return {
    language: ident === 'celeriac' ? 'Node.js' : 'Python',
    software:
      ident === null || ident === 'py-celery'
        ? 'py-celery'
        : [ident, swVer]
            .filter((part) => typeof part === 'string' && part !== '')
            .join(' '),
  };
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function numberOr<T>(value: unknown, fallback: T): number | T {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
