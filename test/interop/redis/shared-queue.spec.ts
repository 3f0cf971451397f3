import Redis from 'ioredis';
import { TaskClient } from '../../../lib';
import { RedisKeys } from '../../../lib/transports/redis';
import { sleep, uniqueName, waitUntil } from '../../support/wait';
import {
  REDIS_URL,
  RESULTS_URL,
  deletePrefix,
  interopPrefix,
  redisCeleryConfig,
} from '../support/interop-redis';
import { closeNestApps, nestApp } from '../support/nest-app';
import {
  NestWorkerEnv,
  NestWorkerProcess,
  stopNestWorkers,
} from '../support/nest-worker';
import { CeleryWorker, stopPythonProcesses } from '../support/python';
import { SharedRun, twiceWithoutKill } from '../support/shared-run';
import {
  QueueSnapshot,
  queueSnapshot,
  unaccounted,
} from '../support/queue-snapshot';

const PER_SIDE = 1000;
/** Each run of `interop.mark` takes this long, so workers are busy when killed. */
const PAUSE_MS = 20;
/** Python's visibility_timeout (s): it restores any delivery older than this. */
const PY_VISIBILITY = 6;
/** Celeriac restores Celery's deliveries after this (s), and its own after LEASE_MS. */
const NEST_VISIBILITY = 3;
const LEASE_MS = 60_000;

/**
 * Celery and Celeriac workers on one queue, tasks sent from both sides; a worker of
 * each kind is SIGKILLed mid-run and the other language's worker restores its
 * deliveries (kombu's `unacked` entries: Celeriac's sweep restores Celery's after
 * `visibilityTimeout`; a Celery worker restores Celeriac's after its
 * `visibility_timeout` when it starts, which is when kombu 5.2 looks).
 */
describe('interop on Redis: one queue, two languages', () => {
  const prefix = interopPrefix('shared');
  const keys = new RedisKeys(prefix);
  const queue = uniqueName('shared');
  const redis = new Redis(REDIS_URL);
  const shared = new SharedRun(redis, prefix, uniqueName('run'));
  const config = redisCeleryConfig(prefix, {
    visibilityTimeout: PY_VISIBILITY,
    acksLate: true,
    prefetch: 2,
  });
  const nestWorker = (name: string): Promise<NestWorkerProcess> => {
    const env: NestWorkerEnv = {
      REDIS_URL,
      RESULTS_URL,
      KEY_PREFIX: prefix,
      QUEUE: queue,
      WORKER_NAME: name,
      CONCURRENCY: '4',
      LEASE_MS: String(LEASE_MS),
      // Renewals refresh kombu's index score well within Python's visibility timeout.
      RENEW_INTERVAL_MS: '500',
      SWEEP_INTERVAL_MS: '500',
      VISIBILITY_TIMEOUT: String(NEST_VISIBILITY),
    };
    return NestWorkerProcess.start(env);
  };
  const celeryWorker = (name: string): Promise<CeleryWorker> =>
    CeleryWorker.start({ name, queues: [queue], config });
  const snapshot = (): Promise<QueueSnapshot> =>
    queueSnapshot(redis, keys, queue, shared.doneKey);

  afterAll(async () => {
    await stopPythonProcesses();
    await stopNestWorkers();
    await closeNestApps();
    await deletePrefix(redis, prefix);
    await redis.quit();
  });

  /**
   * SIGSTOPs the (only) Celery worker at an instant it holds deliveries, and none
   * between its BRPOP and its `unacked` write (kombu's own window, where a crash loses
   * the message): every task is then in a list, in `unacked` or done. Else it lets it
   * run a little and tries again.
   */
  const stopOutsideKombuWindow = async (
    worker: CeleryWorker,
    ids: string[],
  ): Promise<void> => {
    for (let attempt = 0; attempt < 100; attempt++) {
      worker.signal('SIGSTOP');
      for (let look = 0; look < 3; look++) {
        const now = await snapshot();
        const holds = [...now.unacked.keys()].some(
          (tag) => !now.leased.has(tag),
        );
        if (holds && unaccounted(now, ids).length === 0) return;
        await sleep(20);
      }
      worker.signal('SIGCONT');
      await sleep(10);
    }
    throw new Error(`could not stop ${worker.name} outside kombu's window`);
  };

  it('2,000 tasks sent from both sides all run, each once but for redelivery after SIGKILL of a worker of each kind', async () => {
    const producer = await nestApp({
      broker: REDIS_URL,
      backend: RESULTS_URL,
      brokerOptions: { keyPrefix: prefix },
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

    // Mid-run: kill one Celery and one Celeriac worker.
    await waitUntil(
      async () => (await shared.doneCount()) >= 300,
      60_000,
      '300 tasks done',
    );
    await stopOutsideKombuWindow(celery1, ids);
    await celery1.kill();
    await celeriac1.kill();
    const killedAt = Date.now();
    const atKill = await snapshot();
    expect(atKill.done.size).toBeLessThan(ids.length);
    expect(unaccounted(atKill, ids)).toEqual([]);
    const heldByCelery = [...atKill.unacked.keys()].filter(
      (tag) => !atKill.leased.has(tag),
    );
    const heldByCeleriac = [...atKill.unacked.keys()].filter((tag) =>
      atKill.leased.has(tag),
    );
    expect(heldByCelery.length).toBeGreaterThan(0);
    expect(heldByCeleriac.length).toBeGreaterThan(0);

    // A Celeriac worker restores what the dead Celery worker held...
    const nest2 = uniqueName('nest2');
    await nestWorker(nest2);
    await waitUntil(
      async () => {
        const now = await snapshot();
        return heldByCelery.every((tag) => !now.unacked.has(tag));
      },
      30_000,
      "the Celery worker's deliveries to be restored",
    );
    // ...and not the dead Celeriac worker's: their leases run for a minute.
    const afterNest = await snapshot();
    expect(heldByCeleriac.filter((tag) => !afterNest.unacked.has(tag))).toEqual(
      [],
    );

    // A Celery worker started past its visibility timeout restores the Celeriac worker's.
    await sleep(killedAt + (PY_VISIBILITY + 1) * 1000 - Date.now());
    const py2 = uniqueName('py2');
    await celeryWorker(py2);
    await waitUntil(
      async () => {
        const now = await snapshot();
        return heldByCeleriac.every((tag) => !now.unacked.has(tag));
      },
      30_000,
      "the Celeriac worker's deliveries to be restored",
    );

    await waitUntil(
      async () => (await shared.doneCount()) === ids.length,
      90_000,
      'every task done',
    );
    const runs = await shared.runs();
    expect(twiceWithoutKill(runs, [py1, nest1])).toEqual([]);
    expect(ids.filter((id) => !runs.has(id))).toEqual([]);
    const ranOn = new Set([...runs.values()].flat());
    for (const worker of [py1, nest1, nest2, py2])
      expect(ranOn).toContain(worker);
  }, 150_000);
});
