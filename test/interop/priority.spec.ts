import { TaskClient } from '../../lib';
import { uniqueName, waitUntil } from '../support/wait';
import { BROKERS, InteropSetup, interopBroker } from './support/brokers';
import { nestApp } from './support/nest-app';
import { CeleryWorker } from './support/python';

/** Sent in this order, each with its priority. */
const SENDS: [label: string, priority: number][] = [
  ['p9-a', 9],
  ['p0-a', 0],
  ['p6', 6],
  ['p3', 3],
  ['p0-b', 0],
  ['p9-b', 9],
  ['p5', 5],
];

/** The order a worker runs them in: kombu's Redis buckets run 0 first, RabbitMQ 9. */
const RUN_ORDER: Record<InteropSetup['broker'], string[]> = {
  redis: ['p0-a', 'p0-b', 'p3', 'p5', 'p6', 'p9-a', 'p9-b'],
  amqp: ['p9-a', 'p9-b', 'p6', 'p5', 'p3', 'p0-a', 'p0-b'],
};

/** On RabbitMQ both sides declare the queue with x-max-priority. */
describe.each(BROKERS)('interop on $label: priority', (setup) => {
  const broker = interopBroker(setup, 'prio');
  const queue = broker.queue('py-prio');
  const order = RUN_ORDER[setup.broker];
  const first = order[0].slice(1, 2);
  const last = order[order.length - 1].slice(1, 2);

  afterAll(() => broker.cleanup());

  it(`a worker started on a waiting queue runs ${first} first and ${last} last`, async () => {
    const app = await nestApp(
      broker.nestOptions({ maxPriority: { [queue]: 10 } }),
    );
    const client = app.get(TaskClient);
    const ran = uniqueName('order');
    for (const [label, priority] of SENDS) {
      await client.send('py.record', [ran, label], {
        queue,
        priority,
        ignoreResult: true,
      });
    }
    // One thread, one message prefetched: it takes them in the order it runs them.
    await CeleryWorker.start({
      name: uniqueName('prio'),
      queues: [queue],
      config: broker.celeryConfig({ maxPriority: 10, prefetch: 1 }),
      concurrency: 1,
    });
    const key = `${broker.prefix}${ran}`;
    await waitUntil(
      async () => (await broker.redis.llen(key)) === SENDS.length,
      20_000,
      'every prioritised task',
    );
    expect(await broker.redis.lrange(key, 0, -1)).toEqual(order);
  });
});
