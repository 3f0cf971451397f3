import {
  Inject,
  Injectable,
  Logger,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import {
  Observable,
  Subject,
  Subscription,
  concatMap,
  from,
  interval,
  map,
  merge,
  share,
} from 'rxjs';
import { FleetControl } from '../../client/fleet-control.service';
import {
  CeleryEvent,
  isTaskEvent,
  isWorkerEvent,
} from '../../events/celery-event';
import { TaskEvents } from '../../events/task-events.service';
import { DASHBOARD_HISTORY, DASHBOARD_OPTIONS } from '../dashboard.tokens';
import { TaskHistory } from '../history/task-history';
import { TaskPatch, taskPatch } from '../../events/task-patch';
import { TaskRecord } from '../../events/task-record';
import { ResolvedDashboardOptions } from '../resolve-dashboard-options';
import { Outcome, Throughput, ThroughputPoint } from './throughput';
import { WorkerBeat, workerBeat } from './worker-beat';

/** How often buffered events are written to the history. */
const FLUSH_MS = 200;
/** Most events buffered: past it, the oldest unwritten are dropped (and counted). */
const MAX_PENDING = 20_000;
/** Longest text the history keeps per field: a traceback or a repr beyond it is cut. */
const MAX_TEXT = 16_384;
/** Most changed tasks one tick pushes to the page. */
const MAX_PUSHED = 50;
/** How often workers are asked again to send task events (new ones join). */
const ENABLE_EVENTS_EVERY_MS = 60_000;

const OUTCOME: Record<string, Outcome> = {
  'task-succeeded': 'succeeded',
  'task-failed': 'failed',
  'task-retried': 'retried',
};

/** One message of the page's event stream (SSE). */
export interface LiveMessage {
  type: 'tick' | 'worker';
  data: LiveTick | WorkerBeat;
}

/** Once a second: the last second's throughput and the tasks that changed. */
export interface LiveTick {
  throughput: ThroughputPoint;
  tasks: TaskRecord[];
  /** More tasks changed than were pushed. */
  more: boolean;
}

/**
 * The dashboard's one listener on the events stream: it feeds the history (in
 * batches), counts the throughput, keeps each worker's last heartbeat and pushes
 * all of it to open pages. With `enableEvents`, it asks the fleet for task events.
 */
@Injectable()
export class DashboardLiveService implements OnModuleInit, OnModuleDestroy {
  readonly throughput = new Throughput();
  private readonly logger = new Logger('TaskQueueDashboard');
  private readonly beats = new Map<string, WorkerBeat>();
  private readonly beat$ = new Subject<WorkerBeat>();
  private readonly changed = new Set<string>();
  private pending: TaskPatch[] = [];
  private writing: Promise<void> | null = null;
  private subscription: Subscription | null = null;
  private timers: NodeJS.Timeout[] = [];
  private taskEvents = 0;
  private dropped = 0;
  private failing = false;
  private overflow = false;

  constructor(
    private readonly events: TaskEvents,
    private readonly fleet: FleetControl,
    @Inject(DASHBOARD_HISTORY) private readonly history: TaskHistory | null,
    @Inject(DASHBOARD_OPTIONS)
    private readonly options: ResolvedDashboardOptions,
  ) {}

  onModuleInit(): void {
    this.subscription = this.events.events$.subscribe({
      next: (event) => this.take(event),
      error: (error: unknown) =>
        this.logger.warn(`No live updates: ${String(error)}`),
    });
    this.timers.push(setInterval(() => void this.flush(), FLUSH_MS));
    void this.redrawThroughput();
    if (this.options.enableEvents) {
      this.enableEvents();
      this.timers.push(
        setInterval(() => this.enableEvents(), ENABLE_EVENTS_EVERY_MS),
      );
    }
    for (const timer of this.timers) timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.subscription?.unsubscribe();
    for (const timer of this.timers) clearInterval(timer);
    await this.flush();
    await this.history?.close();
  }

  /** Task events heard since the app started: 0 tells the page they seem off. */
  get taskEventsSeen(): number {
    return this.taskEvents;
  }

  /** Each worker's last heartbeat. */
  workerBeats(): WorkerBeat[] {
    return [...this.beats.values()];
  }

  /** Writes what is buffered now (tests and shutdown wait on it). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (!this.history || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.writing = this.history.apply(batch).then(
      () => {
        if (this.failing) this.logger.log('Task history: writing again');
        this.failing = false;
      },
      (error: unknown) => {
        if (!this.failing)
          this.logger.warn(
            `Task history: could not write ${batch.length} event(s), they are lost to it (${String(error)})`,
          );
        this.failing = true;
      },
    );
    await this.writing;
    this.writing = null;
  }

  /** The page's event stream: a tick every second and each heartbeat as it comes. */
  stream(): Observable<LiveMessage> {
    return merge(
      this.ticks$,
      this.beat$.pipe(map((data): LiveMessage => ({ type: 'worker', data }))),
    );
  }

  /** One timer for every open page: each tick drains the changed tasks once. */
  private readonly ticks$: Observable<LiveMessage> = interval(1000).pipe(
    concatMap(() => from(this.tick())),
    map((data): LiveMessage => ({ type: 'tick', data })),
    share(),
  );

  private async tick(): Promise<LiveTick> {
    const second = Math.floor(Date.now() / 1000) - 1;
    const ids = [...this.changed].slice(0, MAX_PUSHED);
    const more = this.changed.size > MAX_PUSHED || this.overflow;
    this.changed.clear();
    this.overflow = false;
    let tasks: TaskRecord[] = [];
    if (this.history) {
      await this.flush();
      // Unreadable (Redis down): the tick still carries the throughput.
      const found: (TaskRecord | null)[] = await this.history
        .getMany(ids)
        .catch(() => []);
      tasks = found.filter((task): task is TaskRecord => task !== null);
    }
    return { throughput: this.throughput.at(second), tasks, more };
  }

  /**
   * Counts again the outcomes the history kept from before this process started, so
   * that the chart of a restarted app (on a Redis history) does not start empty. What
   * this process hears from now on is counted as it comes.
   */
  private async redrawThroughput(): Promise<void> {
    if (!this.history) return;
    // To the millisecond: an outcome earlier in the second this process started was
    // not heard live, and a whole-second cut left it out of the chart.
    const started = Date.now() / 1000;
    try {
      const times = await this.history.outcomes(
        started - this.throughput.seconds,
      );
      for (const outcome of ['succeeded', 'failed', 'retried'] as const)
        for (const at of times[outcome])
          if (at < started) this.throughput.countAt(outcome, at);
    } catch (error) {
      this.logger.warn(
        `Throughput chart: could not read the history, it starts empty (${String(error)})`,
      );
    }
  }

  private take(event: CeleryEvent): void {
    if (isWorkerEvent(event)) {
      const beat = workerBeat(event);
      // A worker heard for the first time is asked for task events at once.
      if (
        this.options.enableEvents &&
        beat.online &&
        !this.beats.has(beat.node)
      )
        this.enableEvents([beat.node]);
      this.beats.set(beat.node, beat);
      this.beat$.next(beat);
      return;
    }
    if (!isTaskEvent(event)) return;
    this.taskEvents++;
    const outcome = OUTCOME[event.type];
    if (outcome) this.throughput.count(outcome);
    const patch = taskPatch(event, MAX_TEXT);
    if (!patch || !this.history) return;
    if (this.changed.size < MAX_PUSHED * 4) this.changed.add(patch.id);
    else this.overflow = true;
    this.pending.push(patch);
    if (this.pending.length > MAX_PENDING) {
      this.pending.shift();
      if (this.dropped++ === 0)
        this.logger.warn(
          'Task history: more events than it can write, the oldest unwritten are dropped',
        );
    }
  }

  private enableEvents(destination?: string[]): void {
    this.fleet
      .broadcast('enable_events', {}, { timeout: 1, destination })
      .catch(() => undefined);
  }
}
