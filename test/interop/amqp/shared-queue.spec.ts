import Redis from 'ioredis';
import { TaskClient } from '../../../lib';
import { recordingLogger } from '../../support/amqp-broker';
import { sleep, uniqueName, waitUntil } from '../../support/wait';
import { AMQP_URL, amqpCeleryConfig, amqpNames } from '../support/interop-amqp';
import {
  REDIS_URL,
  RESULTS_URL,
  deletePrefix,
  interopPrefix,
} from '../support/interop-redis';
import { closeNestApps, nestApp } from '../support/nest-app';
import { NestWorkerProcess, stopNestWorkers } from '../support/nest-worker';
import { CeleryWorker, stopPythonProcesses } from '../support/python';
import { SharedRun, twiceWithoutKill } from '../support/shared-run';

const PER_SIDE = 1000;
/**
 * Each run of `interop.mark` takes this long, so workers are busy when killed and
 * plenty is left for the second kill (RabbitMQ feeds workers faster than Redis).
 */
const PAUSE_MS = 30;

/** A worker to freeze (SIGSTOP), look at, then SIGKILL. */
interface Killable {
  name: string;
  signal(signal: NodeJS.Signals): void;
  kill(): Promise<void>;
  output?: string;
}

/**
 * Celery and Celeriac workers on one RabbitMQ queue, tasks sent from both sides; a
 * worker of each kind is SIGKILLed mid-run. RabbitMQ gives the dead worker's unacked
 * deliveries back, and the only other consumer at that moment, a worker of the other
 * language, runs them.
 */
describe('interop on RabbitMQ: one queue, two languages', () => {
  const names = amqpNames('shared');
  const prefix = interopPrefix('amqp-shared');
  const queue = names.queue('shared');
  const redis = new Redis(REDIS_URL);
  const shared = new SharedRun(redis, prefix, uniqueName('run'));
  const config = amqpCeleryConfig(RESULTS_URL, prefix, {
    acksLate: true,
    prefetch: 2,
  });
  const celeryWorker = (name: string) =>
    CeleryWorker.start({ name, queues: [queue], config });
  const nestWorker = (name: string) =>
    NestWorkerProcess.start({
      BROKER_URL: AMQP_URL,
      DELAY_PREFIX: names.delayPrefix,
      REDIS_URL,
      RESULTS_URL,
      KEY_PREFIX: prefix,
      QUEUE: queue,
      WORKER_NAME: name,
      CONCURRENCY: '4',
    });

  afterAll(async () => {
    await stopPythonProcesses();
    await stopNestWorkers();
    await closeNestApps();
    await names.cleanup();
    await deletePrefix(redis, prefix);
    await redis.quit();
  });

  /**
   * Freezes the worker at an instant it is running tasks, SIGKILLs it, and resolves
   * with the ids it had started and not finished: RabbitMQ delivers them again.
   */
  const killWhileRunning = async (worker: Killable): Promise<string[]> => {
    for (let attempt = 0; attempt < 100; attempt++) {
      worker.signal('SIGSTOP');
      const unfinished = await shared.unfinishedOn(worker.name);
      if (unfinished.length > 0) {
        await worker.kill();
        return unfinished;
      }
      worker.signal('SIGCONT');
      await sleep(20 + attempt * 5);
    }
    const starts = [...(await shared.starts()).values()].flat();
    throw new Error(
      `${worker.name} was never caught running a task (${starts.filter((name) => name === worker.name).length} ` +
        `started by it, ${await shared.doneCount()} done in all):\n${worker.output?.slice(-3000) ?? ''}`,
    );
  };

  /** Resolves once each id was finished by `worker`, since no one else could. */
  const finishedBy = async (ids: string[], worker: string): Promise<void> => {
    await waitUntil(
      async () => {
        const runs = await shared.runs();
        return ids.every((id) => runs.get(id)?.includes(worker));
      },
      30_000,
      `${worker} to finish what the killed worker held`,
    );
  };

  it('2,000 tasks sent from both sides all run, each once but for redelivery after SIGKILL of a worker of each kind', async () => {
    const producer = await nestApp({
      broker: AMQP_URL,
      backend: RESULTS_URL,
      brokerOptions: {
        delayPrefix: names.delayPrefix,
        logger: recordingLogger(),
      },
    });
    const client = producer.get(TaskClient);
    const py1 = uniqueName('py1');
    const nest1 = uniqueName('nest1');
    const [celery1, celeriac1] = await Promise.all([
      celeryWorker(py1),
      nestWorker(nest1),
    ]);
    const ids = await shared.send({
      client,
      config,
      queue,
      perSide: PER_SIDE,
      pauseMs: PAUSE_MS,
    });
    expect(new Set(ids).size).toBe(2 * PER_SIDE);
    await waitUntil(
      async () => (await shared.doneCount()) >= 300,
      60_000,
      '300 tasks done',
    );

    // The Celery worker dies mid-task: the Celeriac worker, alone, runs what it held.
    const heldByCelery = await killWhileRunning(celery1);
    await finishedBy(heldByCelery, nest1);

    // Then the Celeriac worker dies mid-task, with a new Celery worker alone beside it.
    const py2 = uniqueName('py2');
    await celeryWorker(py2);
    expect(await shared.doneCount()).toBeLessThan(ids.length - 200);
    const heldByCeleriac = await killWhileRunning({
      name: nest1,
      signal: (signal) => celeriac1.signal(signal),
      kill: () => celeriac1.kill(),
      output: celeriac1.output,
    });
    await finishedBy(heldByCeleriac, py2);
    // A new Celeriac worker helps finish.
    const nest2 = uniqueName('nest2');
    await nestWorker(nest2);

    await waitUntil(
      async () => (await shared.doneCount()) === ids.length,
      90_000,
      'every task done',
    );
    const runs = await shared.runs();
    expect(twiceWithoutKill(runs, [py1, nest1])).toEqual([]);
    expect(ids.filter((id) => !runs.has(id))).toEqual([]);
    const ranOn = new Set([...runs.values()].flat());
    for (const worker of [py1, nest1, py2, nest2])
      expect(ranOn).toContain(worker);
  }, 150_000);
});
