import { Inject, Injectable } from '@nestjs/common';
import { ResolvedOptions } from '../options/resolve-options';
import { RESOLVED_OPTIONS, TRANSPORT } from '../options/tokens';
import { ScheduleRegistry } from '../scheduler/schedule.registry';
import { ScheduleInfo } from '../scheduler/schedule-info';
import {
  Transport,
  hasDeadLetterAccess,
  hasQueueInspection,
} from '../transports/transport';
import {
  DASHBOARD_OPTIONS,
  DASHBOARD_QUEUE_ACTIONS,
  DASHBOARD_WORKERS,
} from './dashboard.tokens';
import {
  DeadLetterSummary,
  summarizeDeadLetter,
} from '../client/dead-letter-summary';
import { ResolvedDashboardOptions } from './resolve-dashboard-options';
import { QueueActions } from './queue-actions';
import { WorkerCommand, WorkerSource } from './worker-source';
import { WorkerView } from './worker-view';
import { DashboardLiveService } from './live/dashboard-live.service';

/** At most this many queues are listed (and read) per page load. */
const MAX_QUEUES = 200;

/** One queue's row on the Queues page. */
export interface QueueRow {
  name: string;
  /** Waiting; null when the broker cannot be asked. */
  ready: number | null;
  byPriority: Record<string, number> | null;
  delayed: number | null;
  /** Workers consuming it (by their `active_queues`). */
  consumers: number;
  /** Null when the broker keeps no dead letters. */
  deadLetters: number | null;
}

/** One dead letter as the page lists it. */
export type DeadLetterRow = DeadLetterSummary;

/** What this dashboard can do here: the page hides what it cannot. */
export interface DashboardCapabilities {
  readOnly: boolean;
  depth: boolean;
  deadLetters: boolean;
  purge: boolean;
  schedules: boolean;
}

/**
 * What the dashboard's pages show and do, read from the library's own services: the
 * fleet from a `WorkerSource` (with the heartbeats the live service heard), queues
 * from the transport's `QueueInspection` and `DeadLetterAccess`, schedules from
 * `ScheduleRegistry`.
 */
@Injectable()
export class DashboardDataService {
  constructor(
    @Inject(DASHBOARD_OPTIONS)
    private readonly options: ResolvedDashboardOptions,
    @Inject(DASHBOARD_WORKERS) private readonly fleet: WorkerSource,
    @Inject(TRANSPORT) private readonly transport: Transport,
    @Inject(RESOLVED_OPTIONS) private readonly module: ResolvedOptions,
    private readonly schedules: ScheduleRegistry,
    @Inject(DASHBOARD_QUEUE_ACTIONS)
    private readonly queueActions: QueueActions | null,
    private readonly live: DashboardLiveService,
  ) {}

  capabilities(): DashboardCapabilities {
    return {
      readOnly: this.options.readOnly,
      depth: hasQueueInspection(this.transport),
      deadLetters: hasDeadLetterAccess(this.transport),
      purge: this.queueActions !== null,
      schedules: this.schedules.getScheduleNames().length > 0,
    };
  }

  /** The fleet by remote control, each worker's load and last heartbeat from its events. */
  async workers(): Promise<WorkerView[]> {
    const views = await this.fleet.workers();
    const beats = new Map(
      this.live.workerBeats().map((beat) => [beat.node, beat]),
    );
    return views.map((view) => {
      const beat = beats.get(view.node);
      return beat
        ? { ...view, load: beat.load, lastHeartbeat: beat.lastHeartbeat }
        : view;
    });
  }

  controlWorker(
    node: string,
    command: WorkerCommand,
    n?: number,
  ): Promise<unknown> {
    return this.fleet.control(node, command, n);
  }

  /** The queues this app sends to, its worker and the fleet consume, and the option's. */
  async queueNames(workers?: WorkerView[]): Promise<string[]> {
    const fleet = workers ?? (await this.fleet.workers().catch(() => []));
    const names = new Set<string>([
      this.module.defaultQueue,
      ...(this.module.worker?.queues ?? []),
      ...this.options.queues,
      ...fleet.flatMap((worker) => worker.queues),
    ]);
    return [...names].sort().slice(0, MAX_QUEUES);
  }

  async queues(workers?: WorkerView[]): Promise<QueueRow[]> {
    const fleet = workers ?? (await this.fleet.workers().catch(() => []));
    const names = await this.queueNames(fleet);
    return Promise.all(names.map((name) => this.queueRow(name, fleet)));
  }

  async deadLetters(queue: string, limit: number): Promise<DeadLetterRow[]> {
    if (!hasDeadLetterAccess(this.transport)) return [];
    const letters = await this.transport.listDeadLetters(queue, limit);
    return letters.map(summarizeDeadLetter);
  }

  async replayDeadLetters(queue: string, limit?: number): Promise<number> {
    if (!hasDeadLetterAccess(this.transport)) {
      throw new Error(
        `the ${this.transport.kind} broker keeps no dead letters`,
      );
    }
    return this.transport.replayDeadLetters(queue, limit);
  }

  async purge(queue: string): Promise<number> {
    if (!this.queueActions) throw new Error('purge is not available here');
    return this.queueActions.purge(queue);
  }

  scheduleList(): Promise<ScheduleInfo[]> {
    return this.schedules.getSchedules();
  }

  hasSchedule(name: string): boolean {
    return this.schedules.doesExist(name);
  }

  async setSchedulePaused(name: string, paused: boolean): Promise<void> {
    if (paused) await this.schedules.pauseSchedule(name);
    else await this.schedules.resumeSchedule(name);
  }

  private async queueRow(name: string, fleet: WorkerView[]): Promise<QueueRow> {
    const consumers = fleet.filter(
      (worker) => worker.online && worker.queues.includes(name),
    ).length;
    const depth = hasQueueInspection(this.transport)
      ? await this.transport.queueDepth(name).catch(() => null)
      : null;
    const deadLetters = hasDeadLetterAccess(this.transport)
      ? await this.transport.countDeadLetters(name).catch(() => null)
      : null;
    return {
      name,
      ready: depth?.ready ?? null,
      byPriority: depth?.byPriority ? { ...depth.byPriority } : null,
      delayed: depth?.delayed ?? null,
      consumers: Math.max(consumers, depth?.consumers ?? 0),
      deadLetters,
    };
  }
}

/** A message body's args and kwargs; a body that does not parse is shown as its text. */
