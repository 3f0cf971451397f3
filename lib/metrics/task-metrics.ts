import type * as PromClient from 'prom-client';
import type { Counter, Histogram } from 'prom-client';
import { TaskMessage, TaskRequest } from '../protocol';
import {
  BeatTickOutcome,
  RunEnd,
  TaskObserver,
} from '../lifecycle/task-observer';
import {
  MetricsRegistry,
  ResolvedMetricsOptions,
} from '../options/observability-options';
import { addCollector, registerOnce, sharedCollect } from './shared-metric';

/**
 * The header a producer with metrics on stamps on each message: when it was sent, in
 * epoch seconds. Celery's messages carry no send time; a worker measures the queue wait
 * of messages that have it (others, from Python producers, are not measured).
 */
export const SENT_AT_HEADER = 'celeriac_sent_at';

/** Name label of tasks this process does not know (an unbounded label otherwise). */
export const UNREGISTERED = '<unregistered>';

/** The outcomes counted per task and queue. */
const OUTCOMES = [
  'received',
  'succeeded',
  'failed',
  'retried',
  'revoked',
] as const;
type Outcome = (typeof OUTCOMES)[number];

/**
 * One task on one queue: its counts kept as plain numbers (prom-client hashes the labels
 * on every call, which cost more than the rest of a no-op task's bookkeeping) and added
 * to the counters when Prometheus scrapes; its histograms' labelled children.
 */
interface Series {
  labels: { task: string; queue: string };
  counts: Record<Outcome, number>;
  flushed: Record<Outcome, number>;
  wait: Histogram.Internal<'task' | 'queue'>;
  runtime: Histogram.Internal<'task'>;
}

const zeros = (): Record<Outcome, number> => ({
  received: 0,
  succeeded: 0,
  failed: 0,
  retried: 0,
  revoked: 0,
});

/**
 * Counts what happens to tasks, as a TaskObserver: sent, received, succeeded, failed,
 * retried, revoked (by task name and queue), the runtime and the queue wait, dead
 * letters, beat ticks and broker reconnects. Labels are bounded: task names this
 * process registered, its queues, schedule names; never ids or arguments.
 */
export class TaskMetrics implements TaskObserver {
  private readonly counters: Record<Outcome, Counter<'task' | 'queue'>>;
  private readonly sentTotal: Counter<'task' | 'queue'>;
  private readonly deadLetters: Counter<'queue'>;
  private readonly beatTicks: Counter<'schedule' | 'outcome'>;
  private readonly reconnects: Counter<'broker'>;
  private readonly runtime: Histogram<'task'>;
  private readonly wait: Histogram<'task' | 'queue'>;
  private readonly series = new Map<string, Series>();
  private readonly sends = new Map<
    string,
    { labels: { task: string; queue: string }; count: number; flushed: number }
  >();
  private readonly seriesOf = new WeakMap<TaskRequest, Series>();
  private readonly removers: Array<() => void> = [];

  constructor(
    prom: typeof PromClient,
    registry: MetricsRegistry,
    options: Pick<ResolvedMetricsOptions, 'runtimeBuckets' | 'waitBuckets'>,
    /** Whether this process registered the task: other names are labelled UNREGISTERED. */
    private readonly knows: (task: string) => boolean,
  ) {
    const registers = [registry as PromClient.Registry];
    const counter = <L extends string>(
      name: string,
      help: string,
      labelNames: L[],
      local = false,
    ) =>
      registerOnce(
        registry,
        name,
        () =>
          new prom.Counter<L>({
            name,
            help,
            labelNames,
            registers,
            ...(local ? { collect: sharedCollect(false) } : {}),
          }),
      );
    const byTask = ['task', 'queue'] as ('task' | 'queue')[];
    const help: Record<Outcome, string> = {
      received: 'Tasks a worker of this process took off a queue',
      succeeded: 'Task runs that succeeded',
      failed: 'Task runs that failed for good (no retry left)',
      retried: 'Task runs that ended in a retry',
      revoked:
        'Tasks revoked or expired before they ran, or terminated while running',
    };
    this.counters = Object.fromEntries(
      OUTCOMES.map((outcome) => [
        outcome,
        counter(`celeriac_tasks_${outcome}_total`, help[outcome], byTask, true),
      ]),
    ) as Record<Outcome, Counter<'task' | 'queue'>>;
    for (const outcome of OUTCOMES) {
      this.removers.push(
        addCollector(this.counters[outcome], (metric) => {
          for (const series of this.series.values()) {
            const delta = series.counts[outcome] - series.flushed[outcome];
            if (delta === 0) continue;
            metric.inc(series.labels, delta);
            series.flushed[outcome] += delta;
          }
        }),
      );
    }
    this.sentTotal = counter(
      'celeriac_tasks_sent_total',
      'Tasks this process sent (the broker took them)',
      byTask,
      true,
    );
    this.removers.push(
      addCollector(this.sentTotal, (metric) => {
        for (const entry of this.sends.values()) {
          const delta = entry.count - entry.flushed;
          if (delta === 0) continue;
          metric.inc(entry.labels, delta);
          entry.flushed += delta;
        }
      }),
    );
    this.deadLetters = counter(
      'celeriac_dead_letters_total',
      'Deliveries moved to the dead letters (malformed, unregistered, failed with deadLetter)',
      ['queue'],
    );
    this.beatTicks = counter(
      'celeriac_beat_ticks_total',
      'Due ticks of periodic schedules: sent by this beat, taken by another, or skipped (a gap of missed ticks the catch-up policy dropped, once per gap)',
      ['schedule', 'outcome'],
    );
    this.reconnects = counter(
      'celeriac_broker_reconnects_total',
      'Times the broker connection came back after a loss',
      ['broker'],
    );
    this.runtime = registerOnce(
      registry,
      'celeriac_task_runtime_seconds',
      () =>
        new prom.Histogram<'task'>({
          name: 'celeriac_task_runtime_seconds',
          help: 'How long the task function ran',
          labelNames: ['task'],
          buckets: options.runtimeBuckets,
          registers,
        }),
    );
    this.wait = registerOnce(
      registry,
      'celeriac_task_queue_wait_seconds',
      () =>
        new prom.Histogram<'task' | 'queue'>({
          name: 'celeriac_task_queue_wait_seconds',
          help: `From sent (or its eta, if later) to started; messages with the ${SENT_AT_HEADER} header only`,
          labelNames: byTask,
          buckets: options.waitBuckets,
          registers,
        }),
    );
  }

  beforeSend(message: TaskMessage): void {
    message.headers[SENT_AT_HEADER] = Date.now() / 1000;
  }

  sent(message: TaskMessage, queue: string): void {
    const task = message.headers.task;
    const key = `${task}\u0000${queue}`;
    let entry = this.sends.get(key);
    if (!entry) {
      const labels = { task, queue };
      this.sentTotal.inc(labels, 0);
      entry = { labels, count: 0, flushed: 0 };
      this.sends.set(key, entry);
    }
    entry.count++;
  }

  received(request: TaskRequest, queue: string): void {
    const series = this.seriesFor(request.name, queue);
    this.seriesOf.set(request, series);
    series.counts.received++;
  }

  started(request: TaskRequest, queue: string | null): void {
    const sentAt = request.message.headers[SENT_AT_HEADER];
    if (typeof sentAt !== 'number') return;
    const from = Math.max(sentAt * 1000, request.eta?.getTime() ?? 0);
    const series =
      this.seriesOf.get(request) ?? this.seriesFor(request.name, queue ?? '');
    series.wait.observe(Math.max(0, Date.now() - from) / 1000);
  }

  finished(request: TaskRequest, end: RunEnd, runtimeMs: number): void {
    const series =
      this.seriesOf.get(request) ?? this.seriesFor(request.name, '');
    series.runtime.observe(runtimeMs / 1000);
    switch (end.kind) {
      case 'success':
        series.counts.succeeded++;
        return;
      case 'failure':
        series.counts.failed++;
        return;
      case 'retry':
        series.counts.retried++;
        return;
      case 'revoked':
        series.counts.revoked++;
        return;
    }
  }

  revoked(request: TaskRequest): void {
    (this.seriesOf.get(request) ?? this.seriesFor(request.name, '')).counts
      .revoked++;
  }

  deadLettered(_request: TaskRequest | undefined, queue: string): void {
    this.deadLetters.inc({ queue });
  }

  beatTick(schedule: string, outcome: BeatTickOutcome): void {
    this.beatTicks.inc({ schedule, outcome });
  }

  /** The broker connection came back (wired to ConnectionState.onReconnect). */
  reconnected(broker: string): void {
    this.reconnects.inc({ broker });
  }

  /** Stops adding to the shared counters (the app shuts down). */
  detach(): void {
    for (const remove of this.removers.splice(0)) remove();
  }

  private seriesFor(name: string, queue: string): Series {
    const task = this.knows(name) ? name : UNREGISTERED;
    const key = `${task}\u0000${queue}`;
    let series = this.series.get(key);
    if (!series) {
      const labels = { task, queue };
      // Every outcome shows from the first run on, at 0 until it happens (rate() needs it).
      for (const outcome of OUTCOMES) this.counters[outcome].inc(labels, 0);
      series = {
        labels,
        counts: zeros(),
        flushed: zeros(),
        wait: this.wait.labels(task, queue),
        runtime: this.runtime.labels(task),
      };
      this.series.set(key, series);
    }
    return series;
  }
}
