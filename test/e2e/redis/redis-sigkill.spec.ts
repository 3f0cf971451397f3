import { join } from 'node:path';
import Redis from 'ioredis';
import { RedisKeys, RedisTransport } from '../../../lib/transports/redis';
import { Delivery } from '../../../lib/transports/transport';
import { exited, spawnTs, waitForLine } from '../../support/spawn-ts';
import { taskMessage } from '../../support/task-messages';
import { waitUntil } from '../../support/wait';
import {
  REDIS_URL,
  deletePrefix,
  quietLogger,
  uniquePrefix,
} from './redis-test-support';

/** A consumer process that never settles what it takes. */
const HOLD_DELIVERIES = join(
  __dirname,
  '..',
  '..',
  'support',
  'hold-deliveries.child.ts',
);

describe('redis transport: a consumer killed with SIGKILL', () => {
  const admin = new Redis(REDIS_URL);
  const prefix = uniquePrefix('sigkill');
  const keys = new RedisKeys(prefix);
  const leaseMs = 1500;

  afterAll(async () => {
    await deletePrefix(admin, prefix);
    await admin.quit();
  });

  it('gets its deliveries back to another consumer within the lease', async () => {
    const transport = RedisTransport.fromUrl(REDIS_URL, {
      keyPrefix: prefix,
      leaseMs,
      logger: quietLogger(),
    });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const message = taskMessage('tests.orphan', [i]);
      ids.push(message.headers.id);
      await transport.publish('work', message);
    }
    const child = spawnTs(HOLD_DELIVERIES, {
      BROKER_URL: REDIS_URL,
      KEY_PREFIX: prefix,
      QUEUE: 'work',
      LEASE_MS: String(leaseMs),
    });
    try {
      await waitForLine(child, /^held 5 /, 15_000);
      expect(await admin.hlen(keys.unacked)).toBe(5);
    } finally {
      child.kill('SIGKILL');
    }
    await exited(child);
    const killedAt = Date.now();

    const got: Delivery[] = [];
    await transport.consume(['work'], (delivery) => got.push(delivery), {
      prefetch: 10,
    });
    await waitUntil(
      () => got.length === 5,
      leaseMs + 5000,
      'the five deliveries',
    );
    const elapsed = Date.now() - killedAt;
    expect(got.map((delivery) => delivery.message?.headers.id).sort()).toEqual(
      [...ids].sort(),
    );
    expect(got.every((delivery) => delivery.redelivered)).toBe(true);
    // Renewed until the kill: back one lease later, plus a sweep (leaseMs / 5) and slack.
    // (The wait above allows leaseMs + 5000; this is what says 'within the lease'.)
    expect(elapsed).toBeLessThan(leaseMs + 1000);
    await Promise.all(got.map((delivery) => delivery.ack()));
    expect(await admin.hlen(keys.unacked)).toBe(0);
    await transport.close();
  });
});
