import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { HoldingProxy } from '../../support/holding-proxy';
import { REDIS_URL } from '../../support/redis-keys';

// The proxy the dashboard history's race spec relies on: a spec that passes because the
// proxy missed the command would prove nothing.
describe('HoldingProxy (test support)', () => {
  it('holds the command named until its hold settles, and lets another write land first', async () => {
    const proxy = await HoldingProxy.start();
    const through = new Redis(proxy.url);
    const direct = new Redis(REDIS_URL);
    const key = `test:holding-proxy:${randomUUID()}`;
    try {
      await direct.sadd(key, 'a');
      const order: string[] = [];
      const held = proxy.holdNext('SREM', async () => {
        await direct.sadd(key, 'b');
        order.push('SADD b');
      });
      const removed = await through.srem(key, 'a', 'b');
      order.push('SREM a b');
      expect(held()).toBe(true);
      expect(order).toEqual(['SADD b', 'SREM a b']);
      // The SREM ran after the held-back write, so it removed both members.
      expect(removed).toBe(2);
      expect(await direct.smembers(key)).toEqual([]);
    } finally {
      await direct.del(key);
      through.disconnect();
      direct.disconnect();
      await proxy.close();
    }
  });

  it('passes other commands through at once', async () => {
    const proxy = await HoldingProxy.start();
    const through = new Redis(proxy.url);
    try {
      const held = proxy.holdNext('SREM', () => new Promise(() => undefined));
      expect(await through.ping()).toBe('PONG');
      expect(held()).toBe(false);
    } finally {
      through.disconnect();
      await proxy.close();
    }
  });
});
