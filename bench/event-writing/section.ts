import { join, resolve } from 'node:path';
import type { EventDispatcher } from '../../lib/events/event-dispatcher';
import type { TaskLifecycle } from '../../lib/lifecycle/task-lifecycle.service';
import type { RunEnd } from '../../lib/lifecycle/task-observer';
import type { TaskRequest } from '../../lib/protocol';
import type { EventBus, EventList } from '../../lib/transports/event-bus';
import type { RedisEventList } from '../../lib/transports/redis/event-list';
import { BenchSection, Measurement } from '../report';
import { median } from '../stats';

export interface EventWritingSizes {
  /** Tasks a round (BENCH_EVENT_WRITING_TASKS, 50,000). */
  tasks: number;
  /** Rounds of each tree, after one untimed (BENCH_EVENT_WRITING_ROUNDS, 30). */
  rounds: number;
  /** Another checkout to take turns with (BENCH_EVENT_WRITING_COMPARE), or none. */
  compare: string | undefined;
}

export function eventWritingSizes(env = process.env): EventWritingSizes {
  return {
    tasks: Number(env.BENCH_EVENT_WRITING_TASKS ?? 50_000),
    rounds: Number(env.BENCH_EVENT_WRITING_ROUNDS ?? 30),
    compare: env.BENCH_EVENT_WRITING_COMPARE || undefined,
  };
}

/** A task's events, and the worker's flush every 10 ms at ~30,000 tasks/s. */
const TASKS_A_FLUSH = 300;
const ROW = "write a task's three events (Redis list, framed)";

/**
 * What a worker with events on spends writing a task's three events (received,
 * started, succeeded), alone: TaskLifecycle, TaskEventObserver and EventDispatcher
 * into Redis `task.multi` lists, framed as their PUBLISH (no socket), flushed every
 * 300 tasks, lists' buffers reused. The process's CPU time (its collector's helper
 * threads too), not throughput: the events section measures what events do to a
 * worker. With BENCH_EVENT_WRITING_COMPARE set to another checkout (its node_modules
 * beside it), that tree's code takes turns with this one's in the same process, round
 * by round, and each round's ratio is printed: a change to the writer shows there,
 * where the events section's noise hides it.
 */
export function eventWritingSection(
  log: (line: string) => void = (line) => console.log(line),
  { tasks, rounds, compare }: EventWritingSizes = eventWritingSizes(),
): BenchSection {
  return {
    name: 'event-writing',
    baseline: 'compared tree',
    run: () => {
      const trees: [string, Writer][] = [
        ['celeriac', writer(join(__dirname, '../..'))],
      ];
      if (compare) trees.push(['compared tree', writer(resolve(compare))]);
      for (const [, write] of trees) write(tasks); // the JIT's first compilations
      const times = new Map<string, number[]>(
        trees.map(([name]) => [name, []]),
      );
      const ratios: number[] = [];
      for (let round = 0; round < rounds; round++) {
        // Rotating order, so that neither tree always runs first.
        const order = round % 2 === 0 ? trees : [...trees].reverse();
        const ns = new Map<string, number>();
        for (const [name, write] of order) ns.set(name, write(tasks));
        for (const [name, value] of ns) times.get(name)!.push(value);
        if (compare)
          ratios.push(ns.get('celeriac')! / ns.get('compared tree')!);
      }
      const measurements: Measurement[] = [...times].map(
        ([system, values]) => ({
          section: 'event-writing',
          scenario: `${ROW}, median of ${rounds}`,
          system,
          value: Math.round(median(values)),
          unit: 'ns per task',
          better: 'lower',
        }),
      );
      const summary = measurements
        .map((m) => `${m.system} ${m.value} ns`)
        .join(', ');
      log(
        compare
          ? `  ${summary} a task; this tree / compared, round by round: median x${median(ratios).toFixed(3)} (${ratios.map((r) => r.toFixed(2)).join(', ')})`
          : `  ${summary} a task`,
      );
      return Promise.resolve(measurements);
    },
  };
}

/** Writes `tasks` tasks' events with one checkout's code; returns ns a task. */
type Writer = (tasks: number) => number;

function writer(root: string): Writer {
  /* eslint-disable @typescript-eslint/no-require-imports -- a checkout's code, chosen at run time */
  const { EventDispatcher: Dispatcher } = require(
    `${root}/lib/events/event-dispatcher`,
  ) as {
    EventDispatcher: typeof EventDispatcher;
  };
  const { TaskEventObserver } = require(
    `${root}/lib/events/task-event-observer`,
  ) as typeof import('../../lib/events/task-event-observer');
  const { TaskLifecycle: Lifecycle } = require(
    `${root}/lib/lifecycle/task-lifecycle.service`,
  ) as { TaskLifecycle: typeof TaskLifecycle };
  const { RedisEventList: List } = require(
    `${root}/lib/transports/redis/event-list`,
  ) as { RedisEventList: typeof RedisEventList };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const buffers: Buffer[] = [];
  const bus = {
    openEventList: () =>
      new List(
        '/0.celeryev/task.multi',
        buffers.pop() ?? Buffer.allocUnsafeSlow(64 * 1024),
      ),
    publishEventLists: (lists: readonly EventList[], hostname: string) => {
      for (const list of lists as RedisEventList[]) {
        list.command(hostname);
        buffers.push(list.framedIn!);
      }
      return Promise.resolve();
    },
    publishEvents: () => Promise.resolve(),
  } as unknown as EventBus;
  const dispatcher: EventDispatcher = new Dispatcher(
    bus,
    'celeriac@bench-host',
    {
      warn: (line) => console.warn(line),
    },
  );
  const lifecycle: TaskLifecycle = new Lifecycle();
  lifecycle.observe(new TaskEventObserver(dispatcher));
  return (tasks) => {
    const started = process.cpuUsage();
    for (let i = 0; i < tasks; i++) {
      const request = REQUESTS[i % REQUESTS.length];
      lifecycle.received(request, 'bench');
      lifecycle.started(request, 'bench');
      lifecycle.finished(request, SUCCESS, 0.123);
      if (i % TASKS_A_FLUSH === TASKS_A_FLUSH - 1) dispatcher.flush();
    }
    dispatcher.flush();
    const { user, system } = process.cpuUsage(started);
    return ((user + system) * 1000) / tasks;
  };
}

const SUCCESS: RunEnd = { kind: 'success', value: undefined };

/** A thousand no-op tasks as a worker decodes them: strings flat, as JSON.parse makes them. */
const REQUESTS = JSON.parse(
  JSON.stringify(
    Array.from({ length: 1000 }, (_, i) => {
      const id = `6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f${String(i).padStart(4, '0')}`;
      return {
        id,
        name: 'bench.noop',
        args: [i],
        kwargs: {},
        rootId: id,
        parentId: null,
        retries: 0,
        message: {
          headers: {
            argsrepr: `(${i},)`,
            kwargsrepr: '{}',
            eta: null,
            expires: null,
          },
        },
      };
    }),
  ),
) as TaskRequest[];
