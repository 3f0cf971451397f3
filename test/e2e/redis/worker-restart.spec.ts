import { AsyncResult, TaskClient } from '../../../lib';
import { RedisUnavailableError } from '../../../lib/transports/redis';
import { sleep, uniqueName, waitUntil } from '../../support/wait';
import { FaultAppModule, FaultConfig } from './fixtures/fault-app';
import { TestApps } from '../../support/test-apps';
import { PrivateRedisServer } from '../../support/private-redis-server';

/**
 * A web app sending and a worker app consuming while their Redis is SIGKILLed and
 * restarted: every task whose send resolved completes; a send during the outage waits.
 */
describe('redis workers: Redis restarted under load', () => {
  let server: PrivateRedisServer;
  const apps = new TestApps();

  const app = (config: FaultConfig, worker: boolean) =>
    apps.openModule({
      imports: [
        FaultAppModule.register(
          config,
          worker ? { queues: [config.queue], concurrency: 10 } : false,
        ),
      ],
    });

  beforeAll(async () => {
    server = await PrivateRedisServer.start();
  });

  afterAll(async () => {
    await apps.close();
    await server?.stop();
  });

  it('completes every task whose send resolved, and sends during the outage wait', async () => {
    const config: FaultConfig = {
      redisUrl: server.url,
      prefix: '',
      queue: uniqueName('restart'),
      leaseMs: 1000,
      taskMs: 10,
      publishWaitMs: 8000,
    };
    const client = (await app(config, false)).get(TaskClient);
    await app(config, true);
    const sent: { n: number; result: AsyncResult<number> }[] = [];
    const rejected: unknown[] = [];
    const sendOne = async (n: number) => {
      try {
        sent.push({ n, result: await client.send<number>('fault.quick', [n]) });
      } catch (error) {
        rejected.push(error);
      }
    };
    let producing = true;
    const production = (async () => {
      for (let n = 0; producing; n++) {
        await sendOne(n);
        await sleep(2);
      }
    })();

    await waitUntil(
      () => sent.length >= 100,
      10_000,
      'sends before the outage',
    );
    await server.kill();
    const before = sent.length;
    await sleep(700);
    expect(sent.length - before).toBeLessThanOrEqual(1); // sends wait for Redis
    await server.restart();
    await waitUntil(
      () => sent.length >= before + 100,
      15_000,
      'sends after the restart',
    );
    producing = false;
    await production;

    const values = await Promise.all(
      sent.map(({ result }) => result.get({ timeout: 20 })),
    );
    expect(values).toEqual(sent.map(({ n }) => n * 2));
    for (const error of rejected)
      expect(error).toBeInstanceOf(RedisUnavailableError);
    expect(rejected).toEqual([]);
  }, 60_000);
});
