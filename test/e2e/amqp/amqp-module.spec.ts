import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import Redis from 'ioredis';
import { Task, TaskClient, TaskQueueModule } from '../../../lib';
import {
  REDIS_URL,
  deletePrefix,
  uniquePrefix,
} from '../redis/redis-test-support';
import {
  deleteDelayLevels,
  deleteQueues,
  useSharedBroker,
} from '../../support/amqp-broker';
import { TestApps, onRabbitMq } from '../../support/test-apps';
import { uniqueName } from '../../support/wait';

useSharedBroker();

@Injectable()
class AmqpTasks {
  @Task('amqp.add')
  add(a: number, b: number): number {
    return a + b;
  }

  @Task('amqp.fail')
  fail(): never {
    throw new RangeError('out of range');
  }
}

/** TaskQueueModule on amqp://, results over rpc:// (the default) or in Redis. */
describe.each([
  { backend: undefined, label: 'rpc:// results' },
  { backend: `${REDIS_URL}/1`, label: 'Redis results' },
])('TaskQueueModule on amqp:// with $label', ({ backend }) => {
  const queue = uniqueName('amqp-module');
  const delayPrefix = uniqueName('amqp-module-delay');
  // The Redis results of this suite, deleted after it.
  const resultPrefix = uniquePrefix('amqp-module-results');
  const apps = new TestApps({
    ...onRabbitMq(delayPrefix, queue, backend),
    // rpc:// has no keys: a keyPrefix there is refused (UnknownOptionError).
    backendOptions: backend ? { keyPrefix: resultPrefix } : undefined,
  });

  afterAll(async () => {
    await apps.close();
    await deleteQueues([queue, `${queue}.dead`]);
    await deleteDelayLevels(delayPrefix);
    if (backend) {
      const redis = new Redis(backend);
      await deletePrefix(redis, resultPrefix);
      redis.disconnect();
    }
  });

  it('sends from a web app and runs on a worker app; get() returns values and errors', async () => {
    const web = await apps.open();
    await apps.open(
      { worker: { queues: [queue], concurrency: 4 } },
      { providers: [AmqpTasks] },
    );
    const client = web.get(TaskClient);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        client.send<number>('amqp.add', [n, 1]),
      ),
    );
    const values = await Promise.all(
      results.map((r) => r.get({ timeout: 10 })),
    );
    expect(values).toEqual(Array.from({ length: 20 }, (_, n) => n + 1));
    await expect(
      (await client.send('amqp.fail')).get({ timeout: 10 }),
    ).rejects.toMatchObject({
      excType: 'RangeError',
      excMessage: 'out of range',
    });
    const later = await client.send<number>('amqp.add', [1, 1], {
      countdown: 0.3,
    });
    expect(await later.get({ timeout: 10 })).toBe(2);
  });
});

describe('rpc:// results', () => {
  it('are refused with a broker that is not AMQP', async () => {
    const module = Test.createTestingModule({
      imports: [
        TaskQueueModule.forRoot({ broker: REDIS_URL, backend: 'rpc://' }),
      ],
    }).compile();
    await expect(module).rejects.toThrow(
      /rpc:\/\/ needs an amqp:\/\/ or amqps:\/\/ broker/,
    );
  });
});
