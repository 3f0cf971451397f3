import { SentinelFleet } from '../../test/support/sentinel-fleet';
import { sleep, uniqueName, waitUntil } from '../../test/support/wait';
import { chaosModule } from './brokers';
import { Tally } from './tally';
import { LoadShape, TaskLoad, countKeys } from './task-load';

/**
 * Redis Sentinel of this run's own (a master, one replica, three sentinels on free ports;
 * never the shared 6379): the master is SIGKILLed a third of the way through the sends,
 * the sentinels promote the replica, and the old master comes back empty as its replica.
 * Workers and producer find the master through the sentinels; every send that resolved
 * must run.
 */
export async function sentinelFailover(shape: LoadShape): Promise<Tally> {
  const fleet = await SentinelFleet.start();
  const name = uniqueName('chaos-sentinel');
  const queue = `${name}-q`;
  const module = chaosModule('redis', name, queue, fleet.url());
  const load = new TaskLoad(
    name,
    {
      module: {
        ...module,
        // Long enough to wait through the failover (about 2 s) rather than refuse.
        brokerOptions: { ...module.brokerOptions, publishWaitMs: 30_000 },
      },
      queue,
      ...countKeys(name),
    },
    () => ({ concurrency: 20 }),
  );
  try {
    await Promise.all([load.startWorker(0), load.startWorker(1)]);
    await load.openProducer();
    const sending = load.send(shape);
    await sleep((shape.count / shape.perSecond) * (1000 / 3));
    const oldMaster = await fleet.currentMaster();
    await fleet.kill(oldMaster);
    const killedAt = Date.now();
    await waitUntil(
      async () => (await fleet.currentMaster()) !== oldMaster,
      30_000,
      'the sentinels to promote the replica',
    );
    const promotedMs = Date.now() - killedAt;
    await fleet.revive(oldMaster);
    await sending;
    return await load.settle(
      'redis: Sentinel master SIGKILLed under load, replica promoted',
      60_000,
      `replica promoted ${(promotedMs / 1000).toFixed(1)} s after the kill`,
    );
  } finally {
    await load.close();
    await fleet.stop();
  }
}
