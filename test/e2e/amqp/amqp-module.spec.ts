import { Injectable } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import {
  Task,
  TaskClient,
  TaskQueueModule,
  TaskQueueModuleOptions,
  TaskWorkerService,
} from '../../../lib';
import {
  AMQP_URL,
  deleteQueues,
  recordingLogger,
} from '../../support/amqp-broker';
import { uniqueName, waitUntil } from '../../support/wait';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

@Injectable()
class AmqpTasks {
  @Task('amqp.add')
  add(a: number, b: number): number {
    return a + b;
  }

  @Task('amqp.fail')
  fail(): never {
    throw new TypeError('bad input');
  }
}

/** TaskQueueModule from its URLs on RabbitMQ: amqp:// broker, rpc:// (default) or Redis results. */
describe('TaskQueueModule on amqp://', () => {
  const queues: string[] = [];
  const apps: TestingModule[] = [];

  const app = async (
    options: TaskQueueModuleOptions,
    providers: unknown[] = [],
  ) => {
    const module = await Test.createTestingModule({
      imports: [
        TaskQueueModule.forRoot({
          broker: AMQP_URL,
          brokerOptions: { logger: recordingLogger() },
          ...options,
        }),
      ],
      providers: providers as never[],
    }).compile();
    apps.push(module);
    await module.init();
    return module;
  };

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((module) => module.close()));
    await deleteQueues(queues.splice(0));
  });

  it.each([
    ['rpc:// (the default)', undefined],
    ['redis://', `${REDIS_URL}/1`],
  ])(
    'sends from a web app and runs on a worker app, results over %s',
    async (_label, backend) => {
      const queue = uniqueName('amqp-module');
      queues.push(queue);
      const web = await app({ backend, defaultQueue: queue });
      const worker = await app(
        { backend, defaultQueue: queue, worker: { queues: [queue] } },
        [AmqpTasks],
      );
      const client = web.get(TaskClient);
      const sum = await client.send<number>('amqp.add', [2, 3]);
      // The reply comes before anyone waits for it: rpc://'s reply queue existed already.
      await waitUntil(
        () => worker.get(TaskWorkerService).current?.processed === 1,
        10_000,
        'the task to run',
      );
      expect(await sum.get({ timeout: 10 })).toBe(5);
      await expect(
        (await client.send('amqp.fail')).get({ timeout: 10 }),
      ).rejects.toMatchObject({
        excType: 'TypeError',
        excMessage: 'bad input',
      });
      if (backend) await sum.forget();
    },
  );

  it('refuses rpc:// with a broker that is not AMQP', async () => {
    await expect(app({ broker: REDIS_URL, backend: 'rpc://' })).rejects.toThrow(
      /rpc:\/\/ needs an amqp:\/\/ or amqps:\/\/ broker/,
    );
  });
});
