import { CeleryEvent, CeleryWorkerEvent, isTaskEvent } from './celery-event';
import { applyTaskPatch, taskPatch } from './task-patch';
import {
  TaskEventFields,
  TaskEventState,
  TaskRecord,
  emptyTaskRecord,
} from './task-record';

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

/** A task as its events tell it. */
export interface TaskInfo extends TaskEventFields {
  uuid: string;
  /** The timestamp of the event that set `state`. */
  timestamp: number;
}

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
  private readonly taskMap = new Map<string, TaskRecord>();

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
    const record = this.taskMap.get(uuid);
    return record && taskInfo(record);
  }

  /** Tasks kept, oldest first; only those in `state` when given. */
  tasks(state?: TaskEventState): TaskInfo[] {
    const all = [...this.taskMap.values()];
    return (state ? all.filter((task) => task.state === state) : all).map(
      taskInfo,
    );
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
    const patch = taskPatch(event);
    if (!patch) return;
    let task = this.taskMap.get(patch.id);
    if (!task) {
      task = emptyTaskRecord(patch.id, patch.at);
      this.taskMap.set(patch.id, task);
      if (this.taskMap.size > this.maxTasks)
        this.taskMap.delete(this.taskMap.keys().next().value!);
    }
    applyTaskPatch(task, patch);
  }
}

/** The public view of a record: the fields its events told. */
function taskInfo(record: TaskRecord): TaskInfo {
  const {
    id,
    stateAt,
    time: _time,
    queue: _queue,
    eta: _eta,
    expires: _expires,
    terminated: _terminated,
    ...fields
  } = record;
  return { uuid: id, timestamp: stateAt, ...fields };
}

function isAlive(worker: WorkerInfo, nowSeconds: number): boolean {
  return (
    worker.online &&
    worker.lastHeartbeat !== null &&
    nowSeconds < worker.lastHeartbeat + worker.freq * EXPIRE_WINDOW
  );
}
