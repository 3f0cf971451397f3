import { MemoryTaskHistory } from '../../lib/dashboard/history/memory-task-history';
import { RedisTaskHistory } from '../../lib/dashboard/history/redis-task-history';
import { TaskHistory } from '../../lib/dashboard/history/task-history';
import { TaskPatch, taskPatch } from '../../lib/events/task-patch';
import { TaskQuery } from '../../lib/dashboard/history/task-query';
import { BenchSection, Measurement } from '../report';
import { median, percentile } from '../stats';
import { REDIS_URL, deleteKeys } from '../../test/support/redis-keys';

export interface DashboardBenchSizes {
  /** Tasks in the history (BENCH_DASHBOARD_TASKS, 100,000). */
  tasks: number;
  /** Times each query runs after one warm-up (BENCH_DASHBOARD_RUNS, 50). */
  runs: number;
}

export function dashboardSizes(env = process.env): DashboardBenchSizes {
  return {
    tasks: Number(env.BENCH_DASHBOARD_TASKS ?? 100_000),
    runs: Number(env.BENCH_DASHBOARD_RUNS ?? 50),
  };
}
/** Events per write, as the dashboard's 200 ms flush sees them at ~50 events/s and above. */
const BATCH = 200;
const NAMES = [
  'videos.encode',
  'mail.send',
  'reports.build',
  'images.crop',
  'billing.charge',
];
const WORKERS = ['celery@py-1', 'celeriac@nest-1', 'celeriac@nest-2'];
const OUTCOMES = [
  'task-succeeded',
  'task-succeeded',
  'task-succeeded',
  'task-failed',
  'task-retried',
];

/**
 * The dashboard's history with 100,000 tasks (received + an outcome each, the events
 * a worker sends): the ingest cost per event, then the median and p99 time of the
 * Tasks page's typical queries, on the memory store and the Redis one. The Redis store
 * keeps its keys under `prefix`, deleted after the run.
 */
export function dashboardSection(
  log: (line: string) => void = (line) => console.log(line),
  { tasks: TASKS, runs: RUNS }: DashboardBenchSizes = dashboardSizes(),
  prefix = `bench-dashboard-${process.pid}-${Date.now().toString(36)}:`,
): BenchSection {
  return {
    name: 'dashboard',
    baseline: 'memory',
    run: async () => {
      const measurements: Measurement[] = [];
      const now = Date.now() / 1000;
      const caps = { maxTasks: TASKS, maxAgeSeconds: 86_400 };
      const stores: [string, TaskHistory][] = [
        ['memory', new MemoryTaskHistory(caps)],
        [
          'redis',
          new RedisTaskHistory(REDIS_URL, { ...caps, keyPrefix: prefix }),
        ],
      ];
      try {
        for (const [system, history] of stores) {
          const events = TASKS * 2;
          const started = process.hrtime.bigint();
          let batch: TaskPatch[] = [];
          for (let i = 0; i < TASKS; i++) {
            const id = `bench-${i}`;
            const at = now - 80_000 + i * 0.8;
            const hostname = WORKERS[i % WORKERS.length];
            batch.push(
              patch({
                type: 'task-received',
                uuid: id,
                timestamp: at,
                hostname,
                name: NAMES[i % NAMES.length],
                args: `(${i},)`,
                kwargs: '{}',
                retries: 0,
              }),
              patch({
                type: OUTCOMES[i % OUTCOMES.length],
                uuid: id,
                timestamp: at + 0.5,
                hostname,
                result: 'None',
                runtime: 0.01,
                exception: "ValueError('x')",
                traceback: 'Traceback (most recent call last): ...',
              }),
            );
            if (batch.length >= BATCH) {
              await history.apply(batch);
              batch = [];
            }
          }
          await history.apply(batch);
          const ingestUs =
            Number(process.hrtime.bigint() - started) / 1000 / events;
          log(
            `  ${system}: ${TASKS} tasks stored, ${ingestUs.toFixed(1)} us per event`,
          );
          measurements.push({
            section: 'dashboard',
            scenario: `ingest, per event (batches of ${BATCH})`,
            system,
            value: ingestUs,
            unit: 'us',
            better: 'lower',
          });
          for (const [label, query] of queries(now)) {
            const times: number[] = [];
            await history.query(query);
            for (let run = 0; run < RUNS; run++) {
              const t0 = process.hrtime.bigint();
              await history.query(query);
              times.push(Number(process.hrtime.bigint() - t0) / 1e6);
            }
            const med = median(times);
            const p99 = percentile(times, 99);
            log(
              `  ${system}: ${label}: median ${med.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`,
            );
            measurements.push(
              {
                section: 'dashboard',
                scenario: `${label}, median`,
                system,
                value: med,
                unit: 'ms',
                better: 'lower',
              },
              {
                section: 'dashboard',
                scenario: `${label}, p99`,
                system,
                value: p99,
                unit: 'ms',
                better: 'lower',
              },
            );
          }
        }
      } finally {
        for (const [, history] of stores) await history.close();
        await deleteKeys(prefix, REDIS_URL);
      }
      return measurements;
    },
  };
}

function patch(event: Record<string, unknown>): TaskPatch {
  const made = taskPatch(event);
  if (!made) throw new Error(`not a task event: ${JSON.stringify(event)}`);
  return made;
}

function queries(now: number): [string, TaskQuery][] {
  return [
    ['newest 50', { offset: 0, limit: 50 }],
    ['page 100 (offset 5000)', { offset: 5000, limit: 50 }],
    ['state FAILURE', { state: 'FAILURE', offset: 0, limit: 50 }],
    [
      'name + state',
      { name: 'videos.encode', state: 'SUCCESS', offset: 0, limit: 50 },
    ],
    [
      'worker + state + name',
      {
        worker: 'celery@py-1',
        state: 'RETRY',
        name: 'mail.send',
        offset: 0,
        limit: 50,
      },
    ],
    ['last hour', { from: now - 3600, offset: 0, limit: 50 }],
  ];
}
