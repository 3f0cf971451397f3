import { rawChannel } from '../../support/amqp-broker';
import { sleep, uniqueName, waitUntil } from '../../support/wait';
import { InteropBroker } from './brokers';
import { SharedRun } from './shared-run';
import { SharedQueuePlan } from './shared-queue';

/** A worker to freeze (SIGSTOP), look at, then SIGKILL. */
interface Killable {
  name: string;
  signal(signal: NodeJS.Signals): void;
  kill(): Promise<void>;
  output?: string;
}

/**
 * The one-queue run on RabbitMQ: RabbitMQ gives a killed worker's unacked deliveries
 * back, and the only other consumer at that moment, a worker of the other language,
 * runs them.
 */
export function amqpSharedQueuePlan(
  broker: InteropBroker,
  queue: string,
  shared: SharedRun,
): SharedQueuePlan {
  /** For a failure message: the messages ready in the queue and its consumers. */
  const describeQueue = async (): Promise<string> => {
    const raw = await rawChannel().catch((error: unknown) => error as Error);
    if (raw instanceof Error) return `could not look (${String(raw)})`;
    try {
      const { messageCount, consumerCount } =
        await raw.channel.checkQueue(queue);
      return `${messageCount} ready, ${consumerCount} consumers`;
    } catch (error) {
      return `could not look (${String(error)})`;
    } finally {
      await raw.model.close().catch(() => undefined);
    }
  };

  /**
   * Freezes the worker at an instant it is running tasks, SIGKILLs it, and resolves
   * with the ids it had started and not finished: RabbitMQ delivers them again.
   */
  const killWhileRunning = async (worker: Killable): Promise<string[]> => {
    const doneAtFirst = await shared.doneCount();
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
        `started by it, ${await shared.doneCount()} done in all; done when the attempts began: ${doneAtFirst}; ` +
        `the last 100 starts by worker: ${JSON.stringify(await shared.recentStarters(100))}; ` +
        `the queue now: ${await describeQueue()}):\n${worker.output?.slice(-3000) ?? ''}`,
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

  return {
    config: broker.celeryConfig({ acksLate: true, prefetch: 2 }),
    workerEnv: {},
    // Longer than on Redis: plenty is left for the second kill (RabbitMQ feeds
    // workers faster).
    pauseMs: 30,
    async killAndRecover({ celery, celeriac, ids }, start) {
      // The Celery worker dies mid-task: the Celeriac worker, alone, runs what it held.
      const heldByCelery = await killWhileRunning(celery);
      await finishedBy(heldByCelery, celeriac.name);

      // Then the Celeriac worker dies mid-task, with a new Celery worker alone beside it.
      const py2 = uniqueName('py2');
      await start.celeryWorker(py2);
      expect(await shared.doneCount()).toBeLessThan(ids.length - 200);
      const heldByCeleriac = await killWhileRunning({
        name: celeriac.name,
        signal: (signal) => celeriac.signal(signal),
        kill: () => celeriac.kill(),
        output: celeriac.output,
      });
      await finishedBy(heldByCeleriac, py2);
      // A new Celeriac worker helps finish.
      const nest2 = uniqueName('nest2');
      await start.nestWorker(nest2);
      return [py2, nest2];
    },
  };
}
