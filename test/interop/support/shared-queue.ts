import { TaskClient } from '../../../lib';
import { uniqueName, waitUntil } from '../../support/wait';
import { InteropBroker } from './brokers';
import { nestApp } from './nest-app';
import { NestWorkerEnv, NestWorkerProcess } from './nest-worker';
import { CeleryConfig, CeleryWorker } from './python';
import { SharedRun, twiceWithoutKill } from './shared-run';

/** Tasks sent from each side before the kills, and after the recovery. */
const BEFORE_KILLS = 900;
const AFTER_RECOVERY = 100;
export const TASKS_IN_ALL = 2 * (BEFORE_KILLS + AFTER_RECOVERY);

/** Starts a worker of each kind on the run's queue, under the name given. */
export interface WorkerStarters {
  celeryWorker(name: string): Promise<CeleryWorker>;
  nestWorker(name: string): Promise<NestWorkerProcess>;
}

/**
 * What differs between brokers in the one-queue run: the workers' settings, and how a
 * killed worker's deliveries come back (shared-queue-redis.ts, shared-queue-amqp.ts).
 */
export interface SharedQueuePlan {
  config: CeleryConfig;
  /** The Celeriac worker processes' own settings. */
  workerEnv: Partial<NestWorkerEnv>;
  /** Each run of `interop.mark` takes this long, so workers are busy when killed. */
  pauseMs: number;
  /** Kills both first workers, starts the late ones; resolves with their names. */
  killAndRecover(first: FirstWorkers, start: WorkerStarters): Promise<string[]>;
}

/** The first two workers, busy with the first tasks when the kills come. */
export interface FirstWorkers {
  celery: CeleryWorker;
  celeriac: NestWorkerProcess;
  /** Every task sent so far. */
  ids: string[];
}

/**
 * Celery and Celeriac workers on one queue, tasks sent from both sides. A Celery
 * worker and a Celeriac worker start, tasks go out, and once 300 are done the plan's
 * `killAndRecover` SIGKILLs both (its broker's way) and starts the workers that
 * finish, resolving with their names. A last batch then gives those late workers
 * work of their own, and every task must run, each once but for the runs the kills
 * cut short, and every worker must have run some.
 */
export async function runOneQueueTwoLanguages(options: {
  broker: InteropBroker;
  queue: string;
  shared: SharedRun;
  plan: SharedQueuePlan;
}): Promise<void> {
  const { broker, queue, shared, plan } = options;
  const start: WorkerStarters = {
    celeryWorker: (name) =>
      CeleryWorker.start({ name, queues: [queue], config: plan.config }),
    nestWorker: (name) =>
      NestWorkerProcess.start({
        ...broker.workerEnv(),
        QUEUE: queue,
        WORKER_NAME: name,
        CONCURRENCY: '4',
        ...plan.workerEnv,
      }),
  };
  const producer = await nestApp(broker.nestOptions());
  const client = producer.get(TaskClient);
  const send = (perSide: number) =>
    shared.send({
      client,
      config: plan.config,
      queue,
      perSide,
      pauseMs: plan.pauseMs,
    });
  const py1 = uniqueName('py1');
  const nest1 = uniqueName('nest1');
  const [celery, celeriac] = await Promise.all([
    start.celeryWorker(py1),
    start.nestWorker(nest1),
  ]);

  const ids = await send(BEFORE_KILLS);
  expect(new Set(ids).size).toBe(2 * BEFORE_KILLS);
  await waitUntil(
    async () => (await shared.doneCount()) >= 300,
    60_000,
    '300 tasks done',
  );
  const late = await plan.killAndRecover({ celery, celeriac, ids }, start);

  ids.push(...(await send(AFTER_RECOVERY)));
  expect(new Set(ids).size).toBe(TASKS_IN_ALL);
  await waitUntil(
    async () => (await shared.doneCount()) === ids.length,
    90_000,
    'every task done',
  );
  const runs = await shared.runs();
  expect(twiceWithoutKill(runs, [py1, nest1])).toEqual([]);
  expect(ids.filter((id) => !runs.has(id))).toEqual([]);
  const ranOn = new Set([...runs.values()].flat());
  for (const worker of [py1, nest1, ...late]) expect(ranOn).toContain(worker);
}
