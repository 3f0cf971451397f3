import { CeleryEvent, CeleryWorkerEvent, isTaskEvent } from './celery-event';

/** A worker as its events tell it. */
export interface WorkerInfo {
  hostname: string;
  /** False once it said `worker-offline`, or when its heartbeats stopped (see `alive`). */
  online: boolean;
  /** Its last heartbeat (or online) event's timestamp, seconds since the epoch. */
  lastHeartbeat: number | null;
  /** Seconds between its heartbeats. */
  freq: number;
  active: number | null;
  processed: number | null;
  loadavg: number[] | null;
  swIdent: string | null;
  swVer: string | null;
  swSys: string | null;
  pid: number | null;
}

/** A task's state as events tell it (Celery's state names). */
export type TaskEventState =
  | 'PENDING'
  | 'RECEIVED'
  | 'STARTED'
  | 'SUCCESS'
  | 'FAILURE'
  | 'RETRY'
  | 'REVOKED'
  | 'REJECTED';

/** A task as its events tell it. */
export interface TaskInfo {
  uuid: string;
  name: string | null;
  state: TaskEventState;
  /** The node that took it. */
  worker: string | null;
  args: string | null;
  kwargs: string | null;
  result: string | null;
  exception: string | null;
  traceback: string | null;
  /** Seconds. */
  runtime: number | null;
  retries: number | null;
  rootId: string | null;
  parentId: string | null;
  /** Timestamps (seconds since the epoch) of each event seen. */
  sent: number | null;
  received: number | null;
  started: number | null;
  succeeded: number | null;
  failed: number | null;
  retried: number | null;
  revoked: number | null;
  rejected: number | null;
  /** The timestamp of the event that set `state`. */
  timestamp: number;
}

const STATE_OF: Record<string, TaskEventState> = {
  'task-sent': 'PENDING',
  'task-received': 'RECEIVED',
  'task-started': 'STARTED',
  'task-succeeded': 'SUCCESS',
  'task-failed': 'FAILURE',
  'task-retried': 'RETRY',
  'task-revoked': 'REVOKED',
  'task-rejected': 'REJECTED',
};

const TIMESTAMP_FIELD: Record<string, keyof TaskInfo> = {
  'task-sent': 'sent',
  'task-received': 'received',
  'task-started': 'started',
  'task-succeeded': 'succeeded',
  'task-failed': 'failed',
  'task-retried': 'retried',
  'task-revoked': 'revoked',
  'task-rejected': 'rejected',
};

/** How much a worker's heartbeat interval may be late before it counts as gone (Celery's 200 %). */
const EXPIRE_WINDOW = 2;

/**
 * A small picture of the fleet built from its events, as Celery's `events.State`:
 * the workers (alive while their heartbeats keep coming) and the last `maxTasks` tasks
 * by state (the oldest are forgotten first). Feed it with `apply`; `TaskEvents.fleet()`
 * keeps one up to date.
 */
export class FleetState {
  private readonly workerMap = new Map<string, WorkerInfo>();
  private readonly taskMap = new Map<string, TaskInfo>();

  constructor(readonly maxTasks = 10_000) {}

  /** Takes one event into account. */
  apply(event: CeleryEvent): void {
    if (event.type.startsWith('worker-'))
      this.applyWorker(event as CeleryWorkerEvent);
    else if (isTaskEvent(event)) this.applyTask(event);
  }

  /** Every worker seen, alive or not. */
  workers(): WorkerInfo[] {
    return [...this.workerMap.values()];
  }

  worker(hostname: string): WorkerInfo | undefined {
    return this.workerMap.get(hostname);
  }

  /** Workers online whose last heartbeat is recent enough (2 x freq), now or at `nowSeconds`. */
  aliveWorkers(nowSeconds = Date.now() / 1000): WorkerInfo[] {
    return this.workers().filter((worker) => isAlive(worker, nowSeconds));
  }

  task(uuid: string): TaskInfo | undefined {
    return this.taskMap.get(uuid);
  }

  /** Tasks kept, oldest first; only those in `state` when given. */
  tasks(state?: TaskEventState): TaskInfo[] {
    const all = [...this.taskMap.values()];
    return state ? all.filter((task) => task.state === state) : all;
  }

  /** How many tasks are kept in each state. */
  countByState(): Partial<Record<TaskEventState, number>> {
    const counts: Partial<Record<TaskEventState, number>> = {};
    for (const task of this.taskMap.values())
      counts[task.state] = (counts[task.state] ?? 0) + 1;
    return counts;
  }

  private applyWorker(event: CeleryWorkerEvent): void {
    const known = this.workerMap.get(event.hostname);
    const worker: WorkerInfo = known ?? {
      hostname: event.hostname,
      online: true,
      lastHeartbeat: null,
      freq: 2,
      active: null,
      processed: null,
      loadavg: null,
      swIdent: null,
      swVer: null,
      swSys: null,
      pid: null,
    };
    worker.online = event.type !== 'worker-offline';
    if (worker.online) worker.lastHeartbeat = event.timestamp;
    if (typeof event.freq === 'number') worker.freq = event.freq;
    if (typeof event.active === 'number') worker.active = event.active;
    if (typeof event.processed === 'number') worker.processed = event.processed;
    if (Array.isArray(event.loadavg)) worker.loadavg = event.loadavg;
    if (typeof event.sw_ident === 'string') worker.swIdent = event.sw_ident;
    if (typeof event.sw_ver === 'string') worker.swVer = event.sw_ver;
    if (typeof event.sw_sys === 'string') worker.swSys = event.sw_sys;
    if (typeof event.pid === 'number') worker.pid = event.pid;
    if (!known) this.workerMap.set(event.hostname, worker);
  }

  private applyTask(event: CeleryEvent & { uuid: string }): void {
    let task = this.taskMap.get(event.uuid);
    if (!task) {
      task = newTask(event.uuid, event.timestamp);
      this.taskMap.set(event.uuid, task);
      if (this.taskMap.size > this.maxTasks)
        this.taskMap.delete(this.taskMap.keys().next().value!);
    }
    const fields = event as Record<string, unknown>;
    const state = STATE_OF[event.type];
    // Events of one task come from several processes, so out of order: the newest
    // wins, except `task-sent` (stamped by the producer, often after the broker
    // confirmed, when the worker may be done already), which only sets a new task.
    if (
      state &&
      (task.state === 'PENDING' ||
        (state !== 'PENDING' && event.timestamp >= task.timestamp))
    ) {
      task.state = state;
      task.timestamp = event.timestamp;
    }
    const stamp = TIMESTAMP_FIELD[event.type];
    if (stamp)
      (task as unknown as Record<string, unknown>)[stamp] = event.timestamp;
    if (event.type !== 'task-sent') task.worker = event.hostname;
    text(fields.name, (v) => (task.name = v));
    text(fields.args, (v) => (task.args = v));
    text(fields.kwargs, (v) => (task.kwargs = v));
    text(fields.result, (v) => (task.result = v));
    text(fields.exception, (v) => (task.exception = v));
    text(fields.traceback, (v) => (task.traceback = v));
    text(fields.root_id, (v) => (task.rootId = v));
    text(fields.parent_id, (v) => (task.parentId = v));
    if (typeof fields.runtime === 'number') task.runtime = fields.runtime;
    if (typeof fields.retries === 'number') task.retries = fields.retries;
  }
}

function isAlive(worker: WorkerInfo, nowSeconds: number): boolean {
  return (
    worker.online &&
    worker.lastHeartbeat !== null &&
    nowSeconds < worker.lastHeartbeat + worker.freq * EXPIRE_WINDOW
  );
}

function text(value: unknown, set: (value: string) => void): void {
  if (typeof value === 'string') set(value);
}

function newTask(uuid: string, timestamp: number): TaskInfo {
  return {
    uuid,
    name: null,
    state: 'PENDING',
    worker: null,
    args: null,
    kwargs: null,
    result: null,
    exception: null,
    traceback: null,
    runtime: null,
    retries: null,
    rootId: null,
    parentId: null,
    sent: null,
    received: null,
    started: null,
    succeeded: null,
    failed: null,
    retried: null,
    revoked: null,
    rejected: null,
    timestamp,
  };
}
