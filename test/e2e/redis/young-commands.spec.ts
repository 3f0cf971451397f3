import { join } from 'node:path';
import Redis, { Command } from 'ioredis';
import {
  isKnownInitPromise,
  keepCommandsYoung,
} from '../../../lib/drivers/redis/young-commands';
import { keepAliveResources } from '../../support/keep-alive';
import { REDIS_URL } from '../../support/redis-keys';
import { spawnTs, waitForLine } from '../../support/spawn-ts';

const PROBE = join(__dirname, 'fixtures', 'command-promotion.ts');

/** ioredis's own initPromise, read before any spec here replaces it. */
const ORIGINAL_SOURCE = String(
  (Command.prototype as unknown as { initPromise: () => void }).initPromise,
);

interface Promotion {
  promotedPerCommand: number;
  argumentBytes: number;
}

async function measure(youngCommands: boolean): Promise<Promotion> {
  const child = spawnTs(PROBE, {
    REDIS_URL,
    YOUNG_COMMANDS: youngCommands ? '1' : '0',
  });
  const line = await waitForLine(child, /^PROMOTION /, 60_000);
  return JSON.parse(line.slice('PROMOTION '.length)) as Promotion;
}

describe('keepCommandsYoung (ioredis commands)', () => {
  it('applies to the ioredis installed', () => {
    expect(keepCommandsYoung()).toBe(true);
  });

  it("recognises only the initPromise it replaces (not ioredis 6's)", () => {
    const installed = String(
      (Command.prototype as unknown as { initPromise: () => void }).initPromise,
    );
    // Before the replacement: what keepCommandsYoung left in place for other paths.
    expect(isKnownInitPromise(ORIGINAL_SOURCE)).toBe(true);
    expect(isKnownInitPromise(installed)).toBe(false);
    const ioredis6 = ORIGINAL_SOURCE.replace(
      'initPromise() {',
      'initPromise() { this.isResolved = false; this.isSettled = false;',
    ).replace(
      'this._clearTimers();',
      'this._clearTimers(); this.isSettled = true;',
    );
    expect(isKnownInitPromise(ioredis6)).toBe(false);
  });

  describe('commands behave as before', () => {
    let client: Redis;
    const key = `test:young-commands:${process.pid}`;

    beforeAll(() => {
      keepCommandsYoung();
      client = new Redis(REDIS_URL);
    });

    afterAll(async () => {
      await client.del(key, `${key}:hash`);
      client.disconnect();
    });

    it('resolve with their reply', async () => {
      await client.set(key, 'v');
      expect(await client.get(key)).toBe('v');
    });

    it('reject with the server error', async () => {
      await expect(
        client.eval("return redis.error_reply('refused here')", 0),
      ).rejects.toThrow('refused here');
    });

    it('go through argument transformers (HSET of an object)', async () => {
      await client.hset(`${key}:hash`, { a: '1', b: '2' });
      expect(await client.hgetall(`${key}:hash`)).toEqual({ a: '1', b: '2' });
    });

    it('call a callback', async () => {
      await client.set(key, 'w');
      const reply = await new Promise((resolve, reject) => {
        void client.get(key, (error, value) =>
          error ? reject(error) : resolve(value),
        );
      });
      expect(reply).toBe('w');
    });

    it('time out, and leave no timer behind when rejected', async () => {
      const timed = new Redis(REDIS_URL, { commandTimeout: 50 });
      try {
        await timed.ping();
        await expect(timed.blpop(`${key}:empty`, 1)).rejects.toThrow(
          'Command timed out',
        );
        const before = keepAliveResources();
        const slow = new Redis(REDIS_URL, { commandTimeout: 60_000 });
        await slow.ping();
        await expect(
          slow.eval("return redis.error_reply('no timer')", 0),
        ).rejects.toThrow('no timer');
        slow.disconnect();
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(keepAliveResources()).toBeLessThanOrEqual(before);
      } finally {
        timed.disconnect();
      }
    });

    it('reject when they cannot be sent or their connection closes', async () => {
      const offline = new Redis(REDIS_URL, {
        lazyConnect: true,
        enableOfflineQueue: false,
      });
      await expect(offline.get(key)).rejects.toThrow('enableOfflineQueue');
      offline.disconnect();
      const dropped = new Redis(REDIS_URL);
      await dropped.ping();
      const waiting = dropped.blpop(`${key}:empty`, 5);
      dropped.disconnect();
      await expect(waiting).rejects.toThrow('Connection is closed');
    });

    it('keep friendly error stacks', async () => {
      const friendly = new Redis(REDIS_URL, { showFriendlyErrorStack: true });
      try {
        const error = (await friendly
          .eval("return redis.error_reply('stacked')", 0)
          .catch((caught: unknown) => caught)) as Error;
        expect(error.message).toContain('stacked');
        expect(error.stack).toContain('young-commands.spec');
      } finally {
        friendly.disconnect();
      }
    });
  });

  it("lets a command's arguments die young (ioredis alone promotes them)", async () => {
    const before = await measure(false);
    const after = await measure(true);
    // Each command's argument reached the old generation, then none of them.
    expect(before.promotedPerCommand).toBeGreaterThan(before.argumentBytes / 2);
    expect(after.promotedPerCommand).toBeLessThan(after.argumentBytes / 20);
  }, 120_000);
});
