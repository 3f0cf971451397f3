import { connectionPids, rabbitmqctl } from '../../test/support/amqp-broker';
import { uniqueName } from '../../test/support/wait';
import { chaosModule, deleteChaosQueues } from './brokers';
import { Tally } from './tally';
import { LoadShape, TaskLoad, countKeys, every } from './task-load';

/**
 * RabbitMQ closes this scenario's connections (workers' and producer's, found by their
 * connection name; no one else's) every 3 s while tasks are sent and run: every send
 * that resolved must run.
 */
export async function amqpConnectionClose(shape: LoadShape): Promise<Tally> {
  const name = uniqueName('chaos-amqp-close');
  const queue = `${name}-q`;
  const module = chaosModule('amqp', name, queue);
  const load = new TaskLoad(
    name,
    { module, queue, ...countKeys(name) },
    () => ({ concurrency: 20 }),
  );
  let closed = 0;
  try {
    await Promise.all([load.startWorker(0), load.startWorker(1)]);
    await load.openProducer({
      ...module,
      brokerOptions: { ...module.brokerOptions, connectionName: `${name}-p` },
    });
    const sending = load.send(shape);
    await every(3000, sending, async () => {
      closed += await closeConnectionsNamed(name);
    });
    return await load.settle(
      'amqp: connections closed by RabbitMQ under load',
      60_000,
      `${closed} connections closed`,
    );
  } finally {
    await load.close();
    await deleteChaosQueues('amqp', name, queue);
  }
}

/** rabbitmqctl close_connection on each connection whose name starts with `prefix`. */
async function closeConnectionsNamed(prefix: string): Promise<number> {
  const pids = await connectionPids((name) => name.startsWith(prefix));
  await Promise.all(
    pids.map((pid) =>
      rabbitmqctl('close_connection', pid, 'closed by the chaos suite').catch(
        () => undefined,
      ),
    ),
  );
  return pids.length;
}
