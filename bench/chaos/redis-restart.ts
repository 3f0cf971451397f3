import { PrivateRedisServer } from '../../test/support/private-redis-server';
import { sleep, uniqueName } from '../../test/support/wait';
import { chaosModule } from './brokers';
import { Tally } from './tally';
import { LoadShape, TaskLoad, countKeys } from './task-load';

/**
 * The broker's Redis (a redis-server of this run's own, on a free port, never the shared
 * one) SIGKILLed and started again on its append-only file while tasks are sent and
 * run: every send that resolved must run.
 */
export async function redisRestart(shape: LoadShape): Promise<Tally> {
  const server = await PrivateRedisServer.start();
  const name = uniqueName('chaos-redis-restart');
  const queue = `${name}-q`;
  const load = new TaskLoad(
    name,
    {
      module: chaosModule('redis', name, queue, server.url),
      queue,
      ...countKeys(name),
    },
    () => ({ concurrency: 20 }),
  );
  let restarts = 0;
  try {
    await load.startWorker(0);
    await load.openProducer();
    const sending = load.send(shape);
    const sendMs = (shape.count / shape.perSecond) * 1000;
    // Twice while sending: at a third and at two thirds of the way.
    for (let n = 0; n < 2; n++) {
      await sleep(sendMs / 3);
      await server.kill();
      await sleep(1500);
      await server.restart();
      restarts++;
    }
    await sending;
    return await load.settle(
      'redis: redis-server SIGKILLed and restarted under load',
      60_000,
      `${restarts} Redis restarts`,
    );
  } finally {
    await load.close();
    await server.stop();
  }
}
