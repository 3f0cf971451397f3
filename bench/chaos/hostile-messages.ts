import Redis from 'ioredis';
import { AmqpTransport } from '../../lib/transports/amqp';
import { RedisKeys, RedisTransport } from '../../lib/transports/redis';
import { Transport } from '../../lib/transports/transport';
import {
  AMQP_URL,
  publishRaw,
  rawChannel,
} from '../../test/support/amqp-broker';
import { REDIS_URL } from '../../test/support/redis-keys';
import { exited } from '../../test/support/spawn-ts';
import { uniqueName } from '../../test/support/wait';
import { ChaosBroker, chaosModule, deleteChaosQueues } from './brokers';
import { HOSTILE_RAW, hostileTaskMessages } from './hostile-set';
import { Tally } from './tally';
import { TaskLoad, countKeys } from './task-load';

/**
 * The hostile set (hostile-set.ts), `rounds` times, into a queue a worker consumes,
 * then good tasks behind them. The worker must survive, run every good task, and
 * leave nothing in the queue or held (after it stops, nothing is given back).
 */
export async function hostileMessages(
  broker: ChaosBroker,
  rounds: number,
): Promise<Tally> {
  const name = uniqueName(`chaos-hostile-${broker}`);
  const queue = `${name}-q`;
  const load = new TaskLoad(
    name,
    { module: chaosModule(broker, name, queue), queue, ...countKeys(name) },
    () => ({ concurrency: 10 }),
  );
  const transport: Transport =
    broker === 'redis'
      ? RedisTransport.fromUrl(REDIS_URL, { keyPrefix: `${name}:` })
      : AmqpTransport.fromUrl(AMQP_URL, { delayPrefix: name });
  let hostile = 0;
  let refusedAtSend = 0;
  try {
    await load.startWorker(0);
    await load.openProducer();
    for (let round = 0; round < rounds; round++) {
      for (const message of hostileTaskMessages(`${name}-r${round}`)) {
        try {
          await transport.publish(queue, message);
          hostile++;
        } catch {
          refusedAtSend++; // the transport would not even send it
        }
      }
      hostile += await pushRaw(broker, name, queue);
    }
    await load.send({ count: 50, perSecond: 500, taskMs: 1 });
    const tally = await load.settle(
      `${broker}: hostile messages, then good ones`,
      30_000,
    );
    const survived = load.workers[0]!.exitCode === null;
    const worker = load.workers[0]!;
    worker.kill('SIGTERM');
    await exited(worker);
    const stuck = await leftInQueue(broker, name, queue);
    return {
      ...tally,
      sent: tally.sent + hostile,
      completed: tally.completed + hostile - stuck,
      lost: tally.lost + stuck + (survived ? 0 : 1),
      notes: [
        `${hostile} hostile messages, ${stuck} left in the queue`,
        survived ? 'worker survived' : 'WORKER DIED',
        refusedAtSend > 0 ? `${refusedAtSend} refused by publish` : '',
      ]
        .filter(Boolean)
        .join(', '),
    };
  } finally {
    await transport.close();
    await load.close();
    await deleteChaosQueues(broker, name, queue);
  }
}

/** Pushes HOSTILE_RAW straight into the queue, as no client of ours would. */
async function pushRaw(
  broker: ChaosBroker,
  name: string,
  queue: string,
): Promise<number> {
  if (broker === 'redis') {
    const redis = new Redis(REDIS_URL);
    try {
      const list = new RedisKeys(`${name}:`).list(queue);
      for (const raw of HOSTILE_RAW) await redis.lpush(list, raw);
    } finally {
      redis.disconnect();
    }
    return HOSTILE_RAW.length;
  }
  const bodies: [string | Buffer, object][] = [
    ...HOSTILE_RAW.map((raw): [string, object] => [raw, {}]),
    [
      Buffer.from([0xff, 0xfe, 0x00, 0x80]),
      { contentType: 'application/json' },
    ],
    ['[[], {}, {}]', { headers: { task: 'chaos.work', id: 5 } }],
    [
      '[[], {}, {}]',
      { headers: { task: { evil: true } }, contentType: 'text/plain' },
    ],
    ['(dp0\n.', { contentType: 'application/x-python-serialize' }],
  ];
  for (const [body, options] of bodies) await publishRaw(queue, body, options);
  return bodies.length;
}

/** Messages still in the queue (ready, or held by a consumer: Redis' unacked). */
async function leftInQueue(
  broker: ChaosBroker,
  name: string,
  queue: string,
): Promise<number> {
  if (broker === 'redis') {
    const redis = new Redis(REDIS_URL);
    try {
      const keys = new RedisKeys(`${name}:`);
      let left = await redis.hlen(keys.unacked);
      for (const list of keys.lists(queue)) left += await redis.llen(list);
      return left;
    } finally {
      redis.disconnect();
    }
  }
  const { model, channel } = await rawChannel();
  try {
    // The worker stopped: whatever it held went back to the queue.
    return (await channel.checkQueue(queue)).messageCount;
  } finally {
    await model.close();
  }
}
