import { RedisTickLock } from '../../../lib/locks/redis/redis-tick-lock';
import { RedisRateLimiter } from '../../../lib/rate-limit/redis/redis-rate-limiter';
import { keepAliveResources } from '../../support/keep-alive';
import { sleep, waitUntil } from '../../support/wait';

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
        return { use: () => lock.state('s', 0), close: () => lock.close() };
      },
    ],
    [
      'the fleet rate limiter',
      () => {
        const limiter = new RedisRateLimiter(REFUSED);
        return {
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
      // Refused at least once: the client is between reconnections.
      await sleep(300);
      await client.close();
      await expect(used).rejects.toThrow(/closed|max retries/);
      await waitUntil(
        () => keepAliveResources() <= before,
        500,
        'the sockets and timers to go',
      );
    },
  );
});
