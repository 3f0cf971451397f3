import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { Task, TaskClient } from '../../../lib';
import {
  RedisConfigurationError,
  RedisUnavailableError,
} from '../../../lib/drivers/redis/errors';
import { CollectingLogger } from '../../support/collecting-logger';
import { TestApps, onRedisAt } from '../../support/test-apps';
import { keepAliveResources } from '../../support/keep-alive';
import { sleep, uniqueName, waitUntil } from '../../support/wait';
import { REDIS_URL, deletePrefix, uniquePrefix } from './redis-test-support';

@Injectable()
class ConfigTasks {
  @Task('config.echo')
  echo(value: string): string {
    return value;
  }
}

/** Every key of every db of the server whose name holds `fragment`. */
async function keysEverywhere(
  databases: number,
  fragment: string,
): Promise<string[]> {
  const found: string[] = [];
  for (let db = 0; db < databases; db++) {
    const client = new Redis(`${REDIS_URL}/${db}`);
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(
        cursor,
        'MATCH',
        `*${fragment}*`,
        'COUNT',
        1000,
      );
      cursor = next;
      found.push(...keys.map((key) => `db ${db}: ${key}`));
    } while (cursor !== '0');
    client.disconnect();
  }
  return found;
}

/**
 * A Redis URL that cannot work is a configuration error: said at boot (ERROR), every
 * send rejects with RedisConfigurationError at once, and nothing is written anywhere,
 * above all not to db 0 (ioredis goes on in db 0 after a failed SELECT).
 */
describe('Redis configuration errors', () => {
  const prefix = uniquePrefix('config');
  const queue = uniqueName('config-q');
  const apps = new TestApps();
  const redis = new Redis(REDIS_URL);
  let databases = 16;
  let outOfRange = '';

  beforeAll(async () => {
    const [, count] = (await redis.config('GET', 'databases')) as string[];
    databases = Number(count);
    outOfRange = `${REDIS_URL}/${Math.max(99, databases)}`;
  });

  afterEach(() => apps.close());

  afterAll(async () => {
    for (let db = 0; db < databases; db++) {
      const client = new Redis(`${REDIS_URL}/${db}`);
      await deletePrefix(client, prefix);
      client.disconnect();
    }
    await redis.quit();
  });

  it('a db out of range: logged at boot, the send rejects, nothing lands in db 0 or any db', async () => {
    const logger = new CollectingLogger();
    const app = await apps.open(onRedisAt(outOfRange, prefix, queue), {
      providers: [ConfigTasks],
      logger,
    });
    const client = app.get(TaskClient);
    const started = Date.now();
    const sent = client.send('config.echo', ['hello']);
    await expect(sent).rejects.toBeInstanceOf(RedisConfigurationError);
    await expect(sent).rejects.toThrow(
      /refused the connection: it has no db \d+/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(client.send('config.echo', ['again'])).rejects.toThrow(
      RedisConfigurationError,
    );
    expect(
      logger.lines.filter((line) => /^error: .*has no db/.test(line)),
    ).not.toHaveLength(0);
    expect(await keysEverywhere(databases, queue)).toEqual([]);
    expect(await keysEverywhere(databases, prefix)).toEqual([]);
  });

  it('a worker on a db out of range fails its boot and takes nothing from db 0', async () => {
    const producer = await apps.open(onRedisAt(REDIS_URL, prefix, queue));
    await producer.get(TaskClient).send('config.echo', ['for db 0']);
    const worker = apps.open(
      { ...onRedisAt(outOfRange, prefix, queue), worker: { queues: [queue] } },
      { providers: [ConfigTasks], logger: false },
    );
    await expect(worker).rejects.toBeInstanceOf(RedisConfigurationError);
    await sleep(1000);
    expect(await redis.llen(`${prefix}${queue}`)).toBe(1);
  });

  it('a wrong user name or password: the send rejects at once, no retry loop', async () => {
    const url = REDIS_URL.replace(
      '//',
      `//${uniqueName('celeriac-no-user')}:wrong@`,
    );
    const logger = new CollectingLogger();
    const app = await apps.open(onRedisAt(url, prefix, queue), { logger });
    const sent = app.get(TaskClient).send('config.echo', ['x']);
    await expect(sent).rejects.toThrow(
      /refused the connection: the user name or password is wrong/,
    );
    await sleep(500);
    expect(logger.lines.filter((line) => line.startsWith('warn:'))).toEqual([]);
  });

  it('a password for a Redis that has none: refused as redis-py refuses it, nothing written', async () => {
    const url = REDIS_URL.replace('//', '//:no-password-is-set@');
    const logger = new CollectingLogger();
    const ownPrefix = `${prefix}nopass:`;
    const app = await apps.open(onRedisAt(url, ownPrefix, queue), { logger });
    const sent = app.get(TaskClient).send('config.echo', ['x']);
    await expect(sent).rejects.toBeInstanceOf(RedisConfigurationError);
    await expect(sent).rejects.toThrow(
      /refused the connection: the URL gives a password and the server has none set/,
    );
    expect(await keysEverywhere(databases, ownPrefix)).toEqual([]);
    expect(
      logger.lines.filter((line) =>
        /^error: .*the server has none set/.test(line),
      ),
    ).not.toEqual([]);
  });

  describe('failFast', () => {
    it('fails the boot when Redis cannot be reached', async () => {
      const before = keepAliveResources();
      const started = Date.now();
      const opening = apps.open(
        { broker: 'redis://127.0.0.1:1/0', failFast: { timeout: '1s' } },
        { logger: false },
      );
      await expect(opening).rejects.toBeInstanceOf(RedisUnavailableError);
      await expect(opening).rejects.toThrow(/did not come back within 1000 ms/);
      expect(Date.now() - started).toBeLessThan(5000);
      // Its closed connections hold nothing (a timer of ioredis held the process 2 s).
      await waitUntil(
        () => keepAliveResources() <= before,
        500,
        'the sockets and timers to go',
      );
    });

    it('fails the boot at once on a configuration error', async () => {
      const started = Date.now();
      await expect(
        apps.open({ broker: outOfRange, failFast: true }, { logger: false }),
      ).rejects.toBeInstanceOf(RedisConfigurationError);
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it('boots when Redis is there', async () => {
      const app = await apps.open(
        {
          broker: REDIS_URL,
          defaultQueue: queue,
          brokerOptions: { keyPrefix: prefix },
          backendOptions: { keyPrefix: prefix },
          failFast: true,
        },
        { providers: [ConfigTasks], logger: false },
      );
      expect(app.get(TaskClient)).toBeDefined();
    });
  });
});
