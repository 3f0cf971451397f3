import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { buildTaskMessage } from '../../../lib/protocol';
import { RedisKeys, RedisTransport } from '../../../lib/transports/redis';
import { RedisResultBackend } from '../../../lib/results/redis/redis-result-backend';
import { resultMeta } from '../../../lib/protocol';
import { RedisTickLock } from '../../../lib/locks/redis/redis-tick-lock';
import { RedisRateLimiter } from '../../../lib/rate-limit/redis/redis-rate-limiter';
import {
  REDIS_URL,
  deletePrefix,
  quietLogger,
  uniquePrefix,
} from './redis-test-support';

describe('redis URLs: connections go to the db the URL names', () => {
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

  it('connects the beat tick lock and the rate limiter to the db the URL names', async () => {
    const url = new URL(REDIS_URL);
    url.pathname = '/3';
    const prefix = uniquePrefix('url');
    const lock = new RedisTickLock(url.toString(), { keyPrefix: prefix });
    const limiter = new RedisRateLimiter(url.toString(), { keyPrefix: prefix });
    const db3 = new Redis(url.toString());
    try {
      expect(await lock.claim('every-minute', 60_000, 'beat-1', 10_000)).toBe(
        true,
      );
      await limiter.reserve('tasks.limited', { text: '1/s', intervalMs: 1000 });
      expect(await db3.exists(`${prefix}tick:{every-minute}:60000`)).toBe(1);
      expect(await db3.exists(`${prefix}tasks.limited`)).toBe(1);
    } finally {
      await Promise.all([lock.close(), limiter.close()]);
      await deletePrefix(db3, prefix);
      await db3.quit();
    }
  });
});
