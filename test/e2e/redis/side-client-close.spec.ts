import type Redis from 'ioredis';
import { RedisTickLock } from '../../../lib/locks/redis/redis-tick-lock';
import { RedisRateLimiter } from '../../../lib/rate-limit/redis/redis-rate-limiter';
import { keepAliveResources } from '../../support/keep-alive';
import { waitUntil } from '../../support/wait';

/** Nothing listens there: every connection is refused, and ioredis keeps reconnecting. */
const REFUSED = 'redis://127.0.0.1:1/0';

describe('closing a side Redis client whose server refused it', () => {
  // ioredis alone would hold the close 2 s, then reject what was queued; closeConnection
  // ends it at once and rejects what was queued itself.
  it.each([
    [
      'the beat tick lock',
      () => {
        const lock = new RedisTickLock(REFUSED);
        return {
          redis: (lock as unknown as { redis: Redis }).redis,
          use: () => lock.state('s', 0),
          close: () => lock.close(),
        };
      },
    ],
    [
      'the fleet rate limiter',
      () => {
        const limiter = new RedisRateLimiter(REFUSED);
        return {
          redis: (limiter as unknown as { client: Redis }).client,
          use: () => limiter.reserve('t', { text: '1/s', intervalMs: 1000 }),
          close: () => limiter.close(),
        };
      },
    ],
  ])(
    '%s: a command waiting for the connection is rejected, nothing is left behind',
    async (_label, open) => {
      const before = keepAliveResources();
      const client = open();
      const used = client.use();
      used.catch(() => undefined);
      // Refused once: the socket closed, the client waits to reconnect. Closed there,
      // before the rate limiter's maxRetriesPerRequest (3) could reject the command instead.
      await waitUntil(
        () => client.redis.status === 'reconnecting',
        5000,
        'the connection to be refused',
      );
      await client.close();
      // Rejected by close() itself: a macrotask later it is settled, not pending for ever.
      const pending = new Promise((resolve) =>
        setImmediate(resolve, 'still pending after close()'),
      );
      await expect(Promise.race([used, pending])).rejects.toThrow(
        /^Connection is closed\.$/,
      );
      await waitUntil(
        () => keepAliveResources() <= before,
        500,
        'the sockets and timers to go',
      );
    },
  );
});
