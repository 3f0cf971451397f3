import { RedisKeys } from '../../../lib/transports/redis';
import { sleep, uniqueName, waitUntil } from '../../support/wait';
import { InteropBroker } from './brokers';
import { CeleryWorker } from './python';
import { QueueSnapshot, queueSnapshot, unaccounted } from './queue-snapshot';
import { SharedRun } from './shared-run';
import { SharedQueuePlan } from './shared-queue';

/** Python's visibility_timeout (s): it restores any delivery older than this. */
const PY_VISIBILITY = 6;
/** Celeriac restores Celery's deliveries after this (s), and its own after LEASE_MS. */
const NEST_VISIBILITY = 3;
const LEASE_MS = 60_000;

/**
 * The one-queue run on Redis: the other language's worker restores a killed worker's
 * deliveries (kombu's `unacked` entries: Celeriac's sweep restores Celery's after
 * `visibilityTimeout`; a Celery worker restores Celeriac's after its
 * `visibility_timeout` when it starts, which is when kombu 5.2 looks).
 */
export function redisSharedQueuePlan(
  broker: InteropBroker,
  queue: string,
  shared: SharedRun,
): SharedQueuePlan {
  const keys = new RedisKeys(broker.prefix);
  const snapshot = (): Promise<QueueSnapshot> =>
    queueSnapshot(broker.redis, keys, queue, shared.doneKey);

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

  return {
    config: broker.celeryConfig({
      visibilityTimeout: PY_VISIBILITY,
      acksLate: true,
      prefetch: 2,
    }),
    workerEnv: {
      LEASE_MS: String(LEASE_MS),
      // Renewals refresh kombu's index score well within Python's visibility timeout.
      RENEW_INTERVAL_MS: '500',
      SWEEP_INTERVAL_MS: '500',
      VISIBILITY_TIMEOUT: String(NEST_VISIBILITY),
    },
    pauseMs: 20,
    async killAndRecover({ celery, celeriac, ids }, start) {
      await stopOutsideKombuWindow(celery, ids);
      await celery.kill();
      await celeriac.kill();
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
      await start.nestWorker(nest2);
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
      expect(
        heldByCeleriac.filter((tag) => !afterNest.unacked.has(tag)),
      ).toEqual([]);

      // A Celery worker started past its visibility timeout restores the Celeriac
      // worker's.
      await sleep(killedAt + (PY_VISIBILITY + 1) * 1000 - Date.now());
      const py2 = uniqueName('py2');
      await start.celeryWorker(py2);
      await waitUntil(
        async () => {
          const now = await snapshot();
          return heldByCeleriac.every((tag) => !now.unacked.has(tag));
        },
        30_000,
        "the Celeriac worker's deliveries to be restored",
      );
      return [nest2, py2];
    },
  };
}
