import { TaskClient } from '../../../lib';
import { uniqueName, waitUntil } from '../../support/wait';
import { InteropBroker } from './brokers';
import { nestApp } from './nest-app';
import { NestWorkerProcess } from './nest-worker';
import { CeleryConfig, CeleryWorker } from './python';
import { SharedRun, twiceWithoutKill } from './shared-run';

/** Tasks sent from each side before the kills, and after the recovery. */
const BEFORE_KILLS = 900;
const AFTER_RECOVERY = 100;
export const TASKS_IN_ALL = 2 * (BEFORE_KILLS + AFTER_RECOVERY);

/** The first two workers, busy with the first tasks when the kills come. */
export interface FirstWorkers {
  celery: CeleryWorker;
  celeriac: NestWorkerProcess;
  /** Every task sent so far. */
  ids: string[];
}

/**
 * Celery and Celeriac workers on one queue, tasks sent from both sides. A Celery
 * worker and a Celeriac worker start, tasks go out, and once 300 are done
 * `killAndRecover` SIGKILLs both (its broker's way) and starts the workers that
 * finish, resolving with their names. A last batch then gives those late workers
 * work of their own, and every task must run, each once but for the runs the kills
 * cut short, and every worker must have run some.
 */
export async function runOneQueueTwoLanguages(options: {
  broker: InteropBroker;
  queue: string;
  shared: SharedRun;
  config: CeleryConfig;
  /** Each run of `interop.mark` takes this long, so workers are busy when killed. */
  pauseMs: number;
  celeryWorker(name: string): Promise<CeleryWorker>;
  nestWorker(name: string): Promise<NestWorkerProcess>;
  killAndRecover(first: FirstWorkers): Promise<string[]>;
}): Promise<void> {
  const { broker, queue, shared, config, pauseMs } = options;
  const producer = await nestApp(broker.nestOptions());
  const client = producer.get(TaskClient);
  const send = (perSide: number) =>
    shared.send({ client, config, queue, perSide, pauseMs });
  const py1 = uniqueName('py1');
  const nest1 = uniqueName('nest1');
  const [celery, celeriac] = await Promise.all([
    options.celeryWorker(py1),
    options.nestWorker(nest1),
  ]);

  const ids = await send(BEFORE_KILLS);
  expect(new Set(ids).size).toBe(2 * BEFORE_KILLS);
  await waitUntil(
    async () => (await shared.doneCount()) >= 300,
    60_000,
    '300 tasks done',
  );
  const late = await options.killAndRecover({ celery, celeriac, ids });

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
