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
import { registerOnce } from './register-once';

/**
 * The header a producer with metrics on stamps on each message: when it was sent, in
 * epoch seconds. Celery's messages carry no send time; a worker measures the queue wait
 * of messages that have it (others, from Python producers, are not measured).
 */
export const SENT_AT_HEADER = 'celeriac_sent_at';

/** Name label of tasks this process does not know (an unbounded label otherwise). */
export const UNREGISTERED = '<unregistered>';

/** The labelled children of one task on one queue, made once (labels hash on every call). */
interface Series {
  received: Counter.Internal;
  succeeded: Counter.Internal;
  failed: Counter.Internal;
  retried: Counter.Internal;
  revoked: Counter.Internal;
  wait: Histogram.Internal<'task' | 'queue'>;
  runtime: Histogram.Internal<'task'>;
}

/**
 * Counts what happens to tasks, as a TaskObserver: sent, received, succeeded, failed,
 * retried, revoked (by task name and queue), the runtime and the queue wait, dead
 * letters, beat ticks and broker reconnects. Labels are bounded: task names this
 * process registered, its queues, schedule names; never ids or arguments.
 */
export class TaskMetrics implements TaskObserver {
  private readonly sentTotal: Counter<'task' | 'queue'>;
  private readonly receivedTotal: Counter<'task' | 'queue'>;
  private readonly succeededTotal: Counter<'task' | 'queue'>;
  private readonly failedTotal: Counter<'task' | 'queue'>;
  private readonly retriedTotal: Counter<'task' | 'queue'>;
  private readonly revokedTotal: Counter<'task' | 'queue'>;
  private readonly deadLetters: Counter<'queue'>;
  private readonly beatTicks: Counter<'schedule' | 'outcome'>;
  private readonly reconnects: Counter<'broker'>;
  private readonly runtime: Histogram<'task'>;
  private readonly wait: Histogram<'task' | 'queue'>;
  private readonly series = new Map<string, Series>();
  private readonly sentSeries = new Map<string, Counter.Internal>();
  private readonly seriesOf = new WeakMap<TaskRequest, Series>();

  constructor(
    prom: typeof PromClient,
    registry: MetricsRegistry,
    options: Pick<ResolvedMetricsOptions, 'runtimeBuckets' | 'waitBuckets'>,
    /** Whether this process registered the task: other names are labelled UNREGISTERED. */
    private readonly knows: (task: string) => boolean,
  ) {
    const counter = <L extends string>(
      name: string,
      help: string,
      labelNames: L[],
    ) =>
      registerOnce(
        registry,
        name,
        () =>
          new prom.Counter<L>({
            name,
            help,
            labelNames,
            registers: [registry as PromClient.Registry],
          }),
      );
    const byTask = ['task', 'queue'] as ('task' | 'queue')[];
    this.sentTotal = counter(
      'celeriac_tasks_sent_total',
      'Tasks this process sent (the broker took them)',
      byTask,
    );
    this.receivedTotal = counter(
      'celeriac_tasks_received_total',
      'Tasks a worker of this process took off a queue',
      byTask,
    );
    this.succeededTotal = counter(
      'celeriac_tasks_succeeded_total',
      'Task runs that succeeded',
      byTask,
    );
    this.failedTotal = counter(
      'celeriac_tasks_failed_total',
      'Task runs that failed for good (no retry left)',
      byTask,
    );
    this.retriedTotal = counter(
      'celeriac_tasks_retried_total',
      'Task runs that ended in a retry',
      byTask,
    );
    this.revokedTotal = counter(
      'celeriac_tasks_revoked_total',
      'Tasks revoked or expired before they ran, or terminated while running',
      byTask,
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
          registers: [registry as PromClient.Registry],
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
          registers: [registry as PromClient.Registry],
        }),
    );
  }

  beforeSend(message: TaskMessage): void {
    message.headers[SENT_AT_HEADER] = Date.now() / 1000;
  }

  sent(message: TaskMessage, queue: string): void {
    const key = `${message.headers.task}\u0000${queue}`;
    let child = this.sentSeries.get(key);
    if (!child) {
      child = this.sentTotal.labels(message.headers.task, queue);
      this.sentSeries.set(key, child);
    }
    child.inc();
  }

  received(request: TaskRequest, queue: string): void {
    const series = this.seriesFor(request.name, queue);
    this.seriesOf.set(request, series);
    series.received.inc();
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
        return series.succeeded.inc();
      case 'failure':
        return series.failed.inc();
      case 'retry':
        return series.retried.inc();
      case 'revoked':
        return series.revoked.inc();
    }
  }

  revoked(request: TaskRequest): void {
    (
      this.seriesOf.get(request) ?? this.seriesFor(request.name, '')
    ).revoked.inc();
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

  private seriesFor(name: string, queue: string): Series {
    const task = this.knows(name) ? name : UNREGISTERED;
    const key = `${task}\u0000${queue}`;
    let series = this.series.get(key);
    if (!series) {
      // Every outcome shows from the first run on, at 0 until it happens (rate() needs it).
      const zero = (counter: Counter<'task' | 'queue'>) => {
        const child = counter.labels(task, queue);
        child.inc(0);
        return child;
      };
      series = {
        received: zero(this.receivedTotal),
        succeeded: zero(this.succeededTotal),
        failed: zero(this.failedTotal),
        retried: zero(this.retriedTotal),
        revoked: zero(this.revokedTotal),
        wait: this.wait.labels(task, queue),
        runtime: this.runtime.labels(task),
      };
      this.series.set(key, series);
    }
    return series;
  }
}
