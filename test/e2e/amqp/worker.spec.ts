import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TaskClient, TaskFailedError } from '../../../lib';
import { AmqpTransport } from '../../../lib/transports/amqp';
import { TRANSPORT } from '../../../lib/options/tokens';
import {
  DELAY_LEVELS,
  delayLevelName,
} from '../../../lib/transports/amqp/delay-scheme';
import {
  AMQP_URL,
  deleteDelayLevels,
  deleteQueues,
  publishRaw,
  rawChannel,
  useSharedBroker,
} from '../../support/amqp-broker';
import { deleteKeys } from '../../support/redis-keys';
import { exited, spawnTs, waitForLine } from '../../support/spawn-ts';
import { TestApps } from '../../support/test-apps';
import { uniqueName, waitUntil } from '../../support/wait';
import { REDIS_URL, uniquePrefix } from '../redis/redis-test-support';
import { WorkerTasks, workerModule } from './fixtures/worker-app';

useSharedBroker();

const run = promisify(execFile);
const keyPrefix = uniquePrefix('amqp-worker');
const delayPrefix = uniqueName('amqp-worker-delay');

describe('Celeriac worker on AMQP', () => {
  let queue: string;
  const apps = new TestApps();

  const app = (worker: boolean) =>
    apps.openModule(
      {
        imports: [
          workerModule({
            amqpUrl: AMQP_URL,
            redisUrl: REDIS_URL,
            keyPrefix,
            delayPrefix,
            queue,
            worker,
          }),
        ],
      },
      { logger: ['error'] },
    );

  /** Ready and unacknowledged messages of the queue, once the apps are closed. */
  const leftInQueue = async () => {
    const { model, channel } = await rawChannel();
    try {
      return (await channel.checkQueue(queue)).messageCount;
    } finally {
      await model.close();
    }
  };

  /** Messages waiting in this file's delay level queues (0 before they are declared). */
  const inDelayLevels = async () => {
    const { model } = await rawChannel();
    try {
      let count = 0;
      for (let level = 0; level < DELAY_LEVELS; level++) {
        const channel = await model.createChannel();
        channel.on('error', () => undefined);
        const name = delayLevelName(delayPrefix, level);
        count += await channel.checkQueue(name).then(
          (check) => check.messageCount,
          () => 0,
        );
        await channel.close().catch(() => undefined);
      }
      return count;
    } finally {
      await model.close();
    }
  };

  beforeEach(() => {
    queue = uniqueName('amqp-worker');
  });
  afterEach(async () => {
    await apps.close();
    await deleteQueues([queue]);
  });
  afterAll(async () => {
    await deleteDelayLevels(delayPrefix);
    await deleteKeys(keyPrefix);
  });

  it('redelivers the task of a worker killed mid-task; another worker completes it', async () => {
    const producer = await app(false);
    const sent = await producer.get(TaskClient).send('worker.slow');
    const child = spawnTs(join(__dirname, 'fixtures', 'worker-child.ts'), {
      AMQP_URL,
      REDIS_URL,
      KEY_PREFIX: keyPrefix,
      DELAY_PREFIX: delayPrefix,
      QUEUE: queue,
      SLOW_MS: '60000',
    });
    try {
      await waitForLine(child, new RegExp(`started ${sent.id}`), 20_000);
    } finally {
      child.kill('SIGKILL');
    }
    await exited(child);

    // The second worker gets it back (and is quicker about it: no SLOW_MS here).
    const worker = await app(true);
    const tasks = worker.get(WorkerTasks);
    expect(await sent.get({ timeout: 20 })).toBe('done');
    expect(tasks.ran.map((r) => r.id)).toEqual([sent.id]);
  }, 60_000);

  it('acks a failing task with its FAILURE stored', async () => {
    const worker = await app(true);
    const sent = await worker.get(TaskClient).send('worker.fail');
    const error = (await sent
      .get({ timeout: 10 })
      .catch((e: unknown) => e)) as TaskFailedError;
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error.message).toContain('no such thing');
    await apps.close();
    expect(await leftInQueue()).toBe(0);
  });

  it('dead-letters an undecodable message and an unknown task, with the reason', async () => {
    const worker = await app(true);
    const transport = worker.get<AmqpTransport>(TRANSPORT);
    const unknown = await worker.get(TaskClient).send('worker.nobody');
    await publishRaw(queue, '{not json', {
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      headers: { task: 'worker.at', id: 'raw-1', lang: 'py' },
      persistent: true,
    });
    await waitUntil(
      async () => (await transport.listDeadLetters(queue)).length === 2,
      10_000,
      'two dead letters',
    );
    const letters = await transport.listDeadLetters(queue);
    const unknownLetter = letters.find(
      (l) => l.message?.headers.id === unknown.id,
    );
    const garbage = letters.find((l) => l.content.toString() === '{not json');
    expect(unknownLetter?.reason).toMatch(/worker\.nobody/);
    expect(garbage?.reason).toMatch(/decode|JSON|body/i);
    await apps.close();
    expect(await leftInQueue()).toBe(0);
  });

  it('defers an eta message Celery published straight to the queue; it runs at its time', async () => {
    const worker = await app(true);
    const script = [
      'import sys, datetime',
      'from celery import Celery',
      'app = Celery(broker=sys.argv[1])',
      // Far enough that a loaded host starting Python still sees it wait in the levels.
      'eta = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=8)',
      "r = app.send_task('worker.at', args=[7], queue=sys.argv[2], eta=eta)",
      'print(r.id, eta.timestamp(), flush=True)',
    ].join('\n');
    const { stdout } = await run(
      '/usr/bin/python3',
      ['-c', script, AMQP_URL, queue],
      { timeout: 30_000 },
    );
    const [id, etaSeconds] = stdout.trim().split(' ');
    const eta = Number(etaSeconds) * 1000;
    // Held by the broker in the delay levels, not by the worker.
    await waitUntil(
      async () => (await inDelayLevels()) === 1,
      eta - Date.now(),
      'the message in the delay levels before its time',
    );
    const client = worker.get(TaskClient);
    expect(await client.result(id).get({ timeout: 10 })).toBe(7);
    const ran = worker.get(WorkerTasks).ran.find((r) => r.id === id);
    expect(ran!.at).toBeGreaterThanOrEqual(eta);
  }, 50_000);
});
