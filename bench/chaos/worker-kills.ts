import { uniqueName } from '../../test/support/wait';
import { ChaosBroker, chaosModule, deleteChaosQueues } from './brokers';
import { Tally } from './tally';
import { LoadShape, TaskLoad, countKeys, every } from './task-load';

/**
 * Tasks at a steady rate to two worker processes, one of them SIGKILLed and started
 * again every 2 s while the load is sent; then every task must finish.
 */
export async function workerKills(
  broker: ChaosBroker,
  shape: LoadShape,
): Promise<Tally> {
  const name = uniqueName(`chaos-kills-${broker}`);
  const queue = `${name}-q`;
  const load = new TaskLoad(
    name,
    { module: chaosModule(broker, name, queue), queue, ...countKeys(name) },
    () => ({ concurrency: 20 }),
  );
  try {
    await Promise.all([load.startWorker(0), load.startWorker(1)]);
    await load.openProducer();
    const sending = load.send(shape);
    let next = 0;
    await every(2000, sending, () => load.killAndRestart(next++ % 2));
    return await load.settle(`${broker}: workers SIGKILLed every 2 s`, 60_000);
  } finally {
    await load.close();
    await deleteChaosQueues(broker, name, queue);
  }
}
