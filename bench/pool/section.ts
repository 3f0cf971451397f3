import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { resolvePoolOptions } from '../../lib/options/pool-options';
import { buildTaskMessage, parseTaskMessage } from '../../lib/protocol';
import { TaskRegistry } from '../../lib/registry/task.registry';
import { ProcessPool } from '../../lib/worker/pool/process-pool';
import { RunControl } from '../../lib/worker/run-control';
import { TaskRunner } from '../../lib/worker/task-runner';
import { TaskExecutor } from '../../lib/worker/task-executor.service';
import { BenchSection, Measurement } from '../report';
import { PoolBenchModule, hashRounds } from './pool-bench-app';

const CHILD = join(__dirname, 'pool-child.ts');

/**
 * Isolated execution (issue 16), without a broker: the runs are handed to a runner
 * as the worker hands them (TaskRunner.run), so the figures are the pool's own.
 * - 400 CPU-bound tasks (~20 ms of SHA-256 each), all at once: in-process, a pool of 1
 *   and of 2 processes; the parent's event-loop delay (p99, max) while the pool runs
 *   them, and a check that every task ran once;
 * - a tiny task, one at a time: its cost through a child vs in-process.
 * BENCH_POOL_TASKS (400), BENCH_POOL_TASK_MS (20), BENCH_POOL_TINY (3000).
 */
export function poolSection(): BenchSection {
  const tasks = Number(process.env.BENCH_POOL_TASKS ?? 400);
  const taskMs = Number(process.env.BENCH_POOL_TASK_MS ?? 20);
  const tiny = Number(process.env.BENCH_POOL_TINY ?? 3000);
  return {
    name: 'pool',
    baseline: 'in-process',
    run: async () => {
      const app = await NestFactory.createApplicationContext(PoolBenchModule, {
        logger: ['error'],
      });
      const executor = app.get(TaskExecutor);
      const registry = app.get(TaskRegistry);
      const rounds = calibrate(taskMs);
      const out: Measurement[] = [];
      const m = (
        scenario: string,
        system: string,
        value: number,
        unit: string,
        better: 'higher' | 'lower',
      ) => {
        out.push({ section: 'pool', scenario, system, value, unit, better });
        console.log(`  ${scenario} / ${system}: ${value.toFixed(2)} ${unit}`);
      };
      try {
        const inProcess = await hashRun(executor, registry, tasks, rounds);
        m(
          'cpu tasks/s',
          'in-process',
          inProcess.perSecond,
          'tasks/s',
          'higher',
        );
        for (const processes of [1, 2]) {
          const pool = new ProcessPool(
            resolvePoolOptions({ processes }),
            CHILD,
            new Logger('bench'),
          );
          await pool.start();
          try {
            await hashRun(pool, registry, 8, rounds); // warm-up
            const run = await hashRun(pool, registry, tasks, rounds);
            const system = `pool ${processes}`;
            m('cpu tasks/s', system, run.perSecond, 'tasks/s', 'higher');
            m('parent loop delay p99', system, run.lagP99Ms, 'ms', 'lower');
            m('parent loop delay max', system, run.lagMaxMs, 'ms', 'lower');
            m(
              'tasks run twice or not at all',
              system,
              run.wrong,
              'tasks',
              'lower',
            );
            if (processes === 1) {
              const through = await tinyRun(pool, registry, tiny);
              const here = await tinyRun(executor, registry, tiny);
              m('tiny task, one at a time', 'in-process', here, 'µs', 'lower');
              m('tiny task, one at a time', 'pool 1', through, 'µs', 'lower');
              m(
                'overhead per task through a child',
                'pool 1',
                through - here,
                'µs',
                'lower',
              );
            }
          } finally {
            await pool.stop();
          }
        }
      } finally {
        await app.close();
      }
      const [one, two] = ['pool 1', 'pool 2'].map(
        (system) =>
          out.find((x) => x.scenario === 'cpu tasks/s' && x.system === system)!
            .value,
      );
      m('speed-up of 2 processes over 1', 'pool 2', two / one, 'x', 'higher');
      return out;
    },
  };
}

/** Digest rounds that take about `ms` here. */
function calibrate(ms: number): number {
  const probe = 2000;
  const started = performance.now();
  hashRounds(probe);
  const each = (performance.now() - started) / probe;
  return Math.max(1, Math.round(ms / each));
}

function request(name: string, args: unknown[]) {
  return parseTaskMessage(
    buildTaskMessage({
      name,
      id: randomUUID(),
      args,
      kwargs: {},
      origin: 'bench',
    }),
  );
}

async function hashRun(
  runner: TaskRunner,
  registry: TaskRegistry,
  count: number,
  rounds: number,
): Promise<{
  perSecond: number;
  lagP99Ms: number;
  lagMaxMs: number;
  wrong: number;
}> {
  const task = registry.get('bench.hash')!;
  const lag = monitorEventLoopDelay({ resolution: 10 });
  const requests = Array.from({ length: count }, (_, n) =>
    request('bench.hash', [`t${n}`, rounds]),
  );
  lag.enable();
  const started = performance.now();
  const outcomes = await Promise.all(
    requests.map((r) =>
      runner.run(task, r, {
        queue: 'bench',
        eager: false,
        control: new RunControl(),
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  lag.disable();
  const seen = new Map<string, number>();
  for (const outcome of outcomes) {
    if (outcome.kind !== 'success') continue;
    const { id } = outcome.value as { id: string };
    seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  const wrong = requests.filter((_, n) => seen.get(`t${n}`) !== 1).length;
  return {
    perSecond: count / seconds,
    lagP99Ms: lag.percentile(99) / 1e6,
    lagMaxMs: lag.max / 1e6,
    wrong,
  };
}

/**
 * Microseconds per tiny task, run one after the other: after a warm-up (both ends
 * compiled hot), `count` tasks in five rounds, the median round. Other processes on
 * a small host stretch single rounds; the median leaves most of that out.
 */
async function tinyRun(
  runner: TaskRunner,
  registry: TaskRegistry,
  count: number,
): Promise<number> {
  const task = registry.get('bench.tiny')!;
  const runAll = async (n: number) => {
    const requests = Array.from({ length: n }, (_, i) =>
      request('bench.tiny', [i]),
    );
    const started = performance.now();
    for (const r of requests)
      await runner.run(task, r, {
        queue: 'bench',
        eager: false,
        control: new RunControl(),
      });
    return ((performance.now() - started) * 1000) / n;
  };
  await runAll(Math.min(count, 2000));
  const rounds: number[] = [];
  for (let round = 0; round < 5; round++)
    rounds.push(await runAll(Math.ceil(count / 5)));
  return rounds.sort((a, b) => a - b)[2];
}
