/** How this process's task queue is doing, as `TaskQueueHealth.check()` reports it. */
export interface TaskQueueHealthReport {
  /** 'down' when any part below is not well; `problems` says which. */
  status: 'up' | 'down';
  /** The connection to the broker (`connected` null when the transport does not say). */
  broker: { kind: string; connected: boolean | null };
  /** The worker of this process, when one runs. */
  worker?: { consuming: boolean; running: number; prefetched: number };
  /** Beat, when it runs in this process: ticking while its passes keep coming. */
  beat?: { ticking: boolean; lastPassAgeSeconds: number };
  /**
   * The last heartbeat: noted every `intervalSeconds` while the broker connection is up,
   * so its age is how long the broker has been out of reach (0 while all is well).
   */
  heartbeat: { ageSeconds: number; intervalSeconds: number };
  /** What is wrong, in words; empty when up. */
  problems: string[];
}

/** What the report is made from, read from the live parts. */
export interface HealthInputs {
  broker: { kind: string; connected: boolean | null };
  worker: { consuming: boolean; running: number; prefetched: number } | null;
  beat: { lastPassAt: number; maxSleepMs: number } | null;
  lastHeartbeatAt: number;
  heartbeatIntervalMs: number;
}

/** A beat is stuck when it has not passed for this many of its longest sleeps (at least 30 s). */
const BEAT_STALL_SLEEPS = 3;
const BEAT_STALL_MIN_MS = 30_000;
/** Celery's liveness window: a heartbeat older than two intervals is missed. */
const HEARTBEAT_WINDOW = 2;

export function assessHealth(
  inputs: HealthInputs,
  now: number,
): TaskQueueHealthReport {
  const problems: string[] = [];
  const { broker, worker, beat } = inputs;
  if (broker.connected === false)
    problems.push(`not connected to the ${broker.kind} broker`);
  if (worker && !worker.consuming) problems.push('the worker is not consuming');
  const ageMs = Math.max(0, now - inputs.lastHeartbeatAt);
  if (ageMs > HEARTBEAT_WINDOW * inputs.heartbeatIntervalMs)
    problems.push(`no heartbeat for ${(ageMs / 1000).toFixed(1)} s`);
  const report: TaskQueueHealthReport = {
    status: 'up',
    broker,
    heartbeat: {
      ageSeconds: ageMs / 1000,
      intervalSeconds: inputs.heartbeatIntervalMs / 1000,
    },
    problems,
  };
  if (worker) report.worker = worker;
  if (beat) {
    const passAgeMs = Math.max(0, now - beat.lastPassAt);
    const ticking =
      passAgeMs <=
      Math.max(BEAT_STALL_SLEEPS * beat.maxSleepMs, BEAT_STALL_MIN_MS);
    if (!ticking)
      problems.push(
        `beat has not passed for ${(passAgeMs / 1000).toFixed(1)} s`,
      );
    report.beat = { ticking, lastPassAgeSeconds: passAgeMs / 1000 };
  }
  report.status = problems.length === 0 ? 'up' : 'down';
  return report;
}
