import { RedisResultBackend } from '../../../lib/results/redis/redis-result-backend';
import {
  RedisTransport,
  RedisUnavailableError,
} from '../../../lib/transports/redis';
import { Delivery } from '../../../lib/transports/transport';
import { taskMessage } from '../../support/task-messages';
import { sleep, waitUntil } from '../../support/wait';
import { PrivateRedisServer } from '../../support/private-redis-server';
import { quietLogger } from './redis-test-support';

describe('redis transport: Redis restarted under load', () => {
  let server: PrivateRedisServer;

  beforeAll(async () => {
    server = await PrivateRedisServer.start();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('reconnects, resumes consuming and delivers every message whose publish resolved', async () => {
    const logger = quietLogger();
    const options = { leaseMs: 1000, publishWaitMs: 8000, logger };
    const producer = RedisTransport.fromUrl(server.url, options);
    const consumerSide = RedisTransport.fromUrl(server.url, options);
    const published = new Set<string>();
    const rejected: Error[] = [];
    const delivered = new Set<string>();
    let deliveredAfterRestart = 0;
    let restarted = false;

    await consumerSide.consume(
      ['load-a', 'load-b'],
      (delivery) => {
        delivered.add(delivery.message!.headers.id);
        if (restarted) deliveredAfterRestart++;
        setTimeout(() => void delivery.ack().catch(() => undefined), 2);
      },
      { prefetch: 20 },
    );

    let producing = true;
    const publishOne = async (queue: string) => {
      const message = taskMessage('tests.load');
      try {
        await producer.publish(queue, message);
        published.add(message.headers.id);
      } catch (error) {
        rejected.push(error as Error);
      }
    };
    const production = (async () => {
      for (let i = 0; producing; i++) {
        await publishOne(i % 2 === 0 ? 'load-a' : 'load-b');
        await sleep(1);
      }
    })();

    await waitUntil(
      () => delivered.size >= 200,
      10_000,
      'traffic before the restart',
    );
    await server.kill();
    // A publish during the outage waits for Redis to come back (publishWaitMs is longer).
    const duringOutage = publishOne('load-a');
    await sleep(700);
    restarted = true;
    await server.restart();
    await duringOutage;
    await waitUntil(
      () => deliveredAfterRestart >= 200,
      15_000,
      'traffic after the restart',
    );
    producing = false;
    await production;

    await waitUntil(
      () => [...published].every((id) => delivered.has(id)),
      15_000,
      'every published message to be delivered',
    );
    // Nothing rejected here; had anything been, the error would say so plainly.
    for (const error of rejected)
      expect(error).toBeInstanceOf(RedisUnavailableError);
    expect(rejected).toEqual([]);
    expect(logger.lines.some((line) => /reconnected/.test(line))).toBe(true);

    await Promise.all([producer.close(), consumerSide.close()]);
  });

  it('rejects a publish with a clear error when Redis stays away longer than publishWaitMs', async () => {
    const transport = RedisTransport.fromUrl(server.url, {
      publishWaitMs: 300,
      logger: quietLogger(),
    });
    await transport.publish('q', taskMessage('t'));
    await server.kill();
    try {
      await expect(transport.publish('q', taskMessage('t'))).rejects.toThrow(
        /publish to "q".*(not stored|may or may not)/,
      );
    } finally {
      await server.restart();
      await transport.close();
    }
  });

  it('closes promptly while Redis is down, leaving held deliveries to their lease', async () => {
    const transport = RedisTransport.fromUrl(server.url, {
      publishWaitMs: 300,
      logger: quietLogger(),
    });
    const backend = RedisResultBackend.fromUrl(server.url);
    await transport.publish('q', taskMessage('t'));
    const got: Delivery[] = [];
    await transport.consume(['q'], (delivery) => got.push(delivery), {
      prefetch: 5,
    });
    await waitUntil(() => got.length >= 1, 5000, 'a delivery');
    await server.kill();
    try {
      const started = Date.now();
      await Promise.all([transport.close(), backend.close()]);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await server.restart();
    }
  });
});
