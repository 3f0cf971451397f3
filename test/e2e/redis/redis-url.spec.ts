import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { buildTaskMessage } from '../../../lib/protocol';
import {
  RedisKeys,
  RedisTransport,
  parseRedisUrl,
} from '../../../lib/transports/redis';
import { RedisResultBackend } from '../../../lib/results/redis-result-backend';
import { resultMeta } from '../../../lib/protocol';
import { RedisTickLock } from '../../../lib/locks/redis-tick-lock';
import { RedisRateLimiter } from '../../../lib/rate-limit/redis-rate-limiter';
import {
  REDIS_URL,
  deletePrefix,
  quietLogger,
  uniquePrefix,
} from './redis-test-support';

describe('redis URLs', () => {
  it('reads host, port, credentials, db number and TLS', () => {
    expect(parseRedisUrl('redis://localhost')).toEqual({
      host: 'localhost',
      port: 6379,
      db: 0,
    });
    expect(parseRedisUrl('redis://:s%40cret@cache:6380/2')).toEqual({
      host: 'cache',
      port: 6380,
      db: 2,
      password: 's@cret',
    });
    expect(parseRedisUrl('redis://celery:pw@cache/1')).toMatchObject({
      username: 'celery',
      password: 'pw',
      db: 1,
    });
    expect(parseRedisUrl('rediss://cache:6390/0')).toMatchObject({
      port: 6390,
      tls: { servername: 'cache', rejectUnauthorized: true },
    });
    expect(
      parseRedisUrl('rediss://cache?ssl_cert_reqs=CERT_NONE').tls,
    ).toMatchObject({ rejectUnauthorized: false });
  });

  it('refuses what it cannot use, without echoing the password', () => {
    expect(() => parseRedisUrl('amqp://guest:guest@localhost')).toThrow(
      /scheme "amqp:"/,
    );
    expect(() => parseRedisUrl('redis://:hunter2@localhost/abc')).toThrow(
      /db number/,
    );
    expect(() => parseRedisUrl('redis://:hunter2@localhost/abc')).not.toThrow(
      /hunter2/,
    );
  });

  it('is read the same way by the beat tick lock and the rate limiter', () => {
    // ioredis alone takes this URL (db NaN) and ignores ssl_cert_reqs; the broker refuses it.
    const url = 'redis://:hunter2@localhost/abc';
    expect(() => new RedisTickLock(url)).toThrow(/db number/);
    expect(() => new RedisRateLimiter(url)).toThrow(/db number/);
  });

  it('connects the transport and the result backend to the db the URL names', async () => {
    const url = new URL(REDIS_URL);
    url.pathname = '/3';
    const prefix = uniquePrefix('url');
    const transport = RedisTransport.fromUrl(url.toString(), {
      keyPrefix: prefix,
      logger: quietLogger(),
    });
    const backend = RedisResultBackend.fromUrl(url.toString(), {
      keyPrefix: prefix,
    });
    const db3 = new Redis(url.toString());
    try {
      await transport.publish(
        'q',
        buildTaskMessage({
          name: 't',
          id: randomUUID(),
          args: [],
          kwargs: {},
          origin: 't',
        }),
      );
      const id = randomUUID();
      await backend.store(resultMeta(id, 'SUCCESS', 1));
      expect(await db3.llen(new RedisKeys(prefix).list('q'))).toBe(1);
      expect(await db3.exists(`${prefix}celery-task-meta-${id}`)).toBe(1);
    } finally {
      await Promise.all([transport.close(), backend.close()]);
      await deletePrefix(db3, prefix);
      await db3.quit();
    }
  });
});
