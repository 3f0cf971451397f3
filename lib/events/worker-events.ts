import { loadavg, type as osType } from 'node:os';
import { CELERIAC_VERSION } from '../common/version';
import { TaskLifecycle } from '../lifecycle/task-lifecycle.service';
import { EventBus } from '../transports/event-bus';
import { EventDispatcher, EventLogger } from './event-dispatcher';
import { TaskEventObserver } from './task-event-observer';

/** What a worker's heartbeat reads of it. */
export interface WorkerActivity {
  /** Tasks running now. */
  active(): number;
  /** Tasks handled since it started. */
  processed(): number;
}

/** How a worker sends events (resolved from the module's and the worker's options). */
export interface WorkerEventsConfig {
  bus: EventBus;
  /** Send task events from the start (Celery's `-E`); `enable_events` turns them on later. */
  taskEvents: boolean;
  heartbeatMs: number;
}

/** Celery's SOFTWARE_INFO for a Nest worker. */
export const SOFTWARE_INFO = {
  sw_ident: 'celeriac',
  sw_ver: CELERIAC_VERSION,
  sw_sys: osType() === 'Windows_NT' ? 'Windows' : osType(),
};

/**
 * A worker's events, as a Celery worker's: `worker-online` at start, `worker-heartbeat`
 * every `heartbeatMs` (2 s), `worker-offline` at stop, always (Celery sends them
 * without `-E` too); task events only while they are on: their observer is in the
 * lifecycle only then, so off they cost nothing per task. `enable_events`,
 * `disable_events` and `heartbeat` (remote control) act on it.
 */
export class WorkerEvents {
  private readonly dispatcher: EventDispatcher;
  private readonly observer: TaskEventObserver;
  private stopObserving: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: WorkerEventsConfig,
    private readonly deps: {
      node: string;
      lifecycle: TaskLifecycle;
      activity: WorkerActivity;
      logger: EventLogger;
    },
  ) {
    this.dispatcher = new EventDispatcher(config.bus, deps.node, deps.logger);
    this.observer = new TaskEventObserver(this.dispatcher);
  }

  /** True while task events are sent. */
  get taskEvents(): boolean {
    return this.stopObserving !== null;
  }

  start(): void {
    if (this.config.taskEvents) this.enableTaskEvents();
    this.sendWorker('worker-online');
    this.timer = setInterval(
      () => this.sendWorker('worker-heartbeat'),
      this.config.heartbeatMs,
    );
    this.timer.unref();
  }

  /** Flushes the task events, says `worker-offline`, waits for the publishes. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.disableTaskEvents();
    this.dispatcher.flush();
    this.sendWorker('worker-offline');
    await this.dispatcher.drain();
  }

  /** Turns task events on; false when they already were. */
  enableTaskEvents(): boolean {
    if (this.stopObserving) return false;
    this.stopObserving = this.deps.lifecycle.observe(this.observer);
    return true;
  }

  /** Turns task events off; false when they already were. */
  disableTaskEvents(): boolean {
    if (!this.stopObserving) return false;
    this.stopObserving();
    this.stopObserving = null;
    return true;
  }

  /** Celery's `heartbeat` command: one heartbeat now (with `freq` 5, as Celery's). */
  heartbeat(): void {
    this.sendWorker('worker-heartbeat', 5);
  }

  private sendWorker(
    type: string,
    freq = this.config.heartbeatMs / 1000,
  ): void {
    const { activity } = this.deps;
    this.dispatcher.send(type, {
      freq,
      active: activity.active(),
      processed: activity.processed(),
      loadavg: loadavg().map((value) => Math.round(value * 100) / 100),
      ...SOFTWARE_INFO,
    });
  }
}
