import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { Task, TaskClient } from '../../../lib';
import { parseRate } from '../../../lib/rate-limit/rate';
import { RedisRateLimiter } from '../../../lib/rate-limit/redis/redis-rate-limiter';
import { memoryApp } from '../../support/memory-app';
import { REDIS_URL } from '../../support/redis-keys';
import { sleep, uniqueName } from '../../support/wait';

/** A task name no other run uses: the limiter's key is made from it. */
const FLEET_TASK = uniqueName('fleet.task');

@Injectable()
class FleetTasks {
  starts: number[] = [];

  @Task({ name: FLEET_TASK, fleetRateLimit: '5/s' })
  run(n: number): number {
    this.starts.push(Date.now());
    return n;
  }
}

describe('the Redis fleet rate limiter (real Redis)', () => {
  const redis = new Redis(REDIS_URL);
  const prefix = `${uniqueName('rate-test')}:`;

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    await redis.del(`_celeriac.rate.${FLEET_TASK}`, ...keys);
    await redis.quit();
  });

  it('shares one schedule of slots between limiters (workers)', async () => {
    const [a, b] = [
      new RedisRateLimiter(REDIS_URL, { keyPrefix: prefix }),
      new RedisRateLimiter(REDIS_URL, { keyPrefix: prefix }),
    ];
    const rate = parseRate('10/s')!;
    // Connected and the script loaded first, so that the timed calls are round trips only.
    await Promise.all([
      a.reserve('warm-up.a', rate),
      b.reserve('warm-up.b', rate),
    ]);
    const waits: number[] = [];
    const doneAt: number[] = [];
    for (const [limiter, name] of [
      [a, 'emails.send'],
      [b, 'emails.send'],
      [a, 'emails.send'],
      [b, 'other.task'],
    ] as const) {
      waits.push(await limiter.reserve(name, rate));
      doneAt.push(performance.now());
    }
    expect(waits[0]).toBe(0);
    expect(waits[3]).toBe(0);
    // Each later reservation of emails.send gets the next 100 ms slot: its wait plus the
    // time since the first one is i x 100 ms (give or take a round trip on a busy host).
    for (const i of [1, 2]) {
      expect(waits[i]).toBeGreaterThan(0);
      const slot = waits[i] + (doneAt[i] - doneAt[0]);
      expect(Math.abs(slot - i * 100)).toBeLessThan(40);
    }
    // The key expires on its own once its slots are past.
    const ttl = await redis.pttl(`${prefix}emails.send`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1300);
    await Promise.all([a.close(), b.close()]);
  });

  it('keeps fractional intervals exact over many reservations', async () => {
    const limiter = new RedisRateLimiter(REDIS_URL, { keyPrefix: prefix });
    const rate = parseRate('3/s')!; // 333.333 ms
    let last = 0;
    for (let i = 0; i < 7; i++) last = await limiter.reserve('thirds', rate);
    // Six intervals after the first slot: 2000 ms, minus the little time the calls took.
    expect(last).toBeGreaterThan(1900);
    expect(last).toBeLessThanOrEqual(2000);
    await limiter.close();
  });

  it('is wired by the module from rateLimitStore, and limits tasks across workers', async () => {
    const first = await memoryApp(
      { providers: [FleetTasks] },
      { rateLimitStore: REDIS_URL, worker: true },
    );
    const second = await memoryApp(
      { providers: [FleetTasks] },
      {
        broker: `memory://${first.brokerName}`,
        rateLimitStore: REDIS_URL,
        worker: true,
      },
    );
    const client = first.app.get(TaskClient);
    const results = await Promise.all(
      [0, 1, 2, 3].map((n) => client.send(FLEET_TASK, [n])),
    );
    for (const result of results) await result.get({ timeout: 10 });
    const starts = [
      ...first.app.get(FleetTasks).starts,
      ...second.app.get(FleetTasks).starts,
    ].sort((x, y) => x - y);
    expect(starts).toHaveLength(4);
    expect(starts[3] - starts[0]).toBeGreaterThanOrEqual(560); // 5/s: three intervals of 200 ms
    await Promise.all([first.app.close(), second.app.close()]);
  });

  it('makes a task wait, not fail, while the fleet store does not answer', async () => {
    const { app, broker } = await memoryApp(
      { providers: [FleetTasks] },
      { rateLimitStore: 'redis://127.0.0.1:1', worker: true },
    );
    const result = await app.get(TaskClient).send(FLEET_TASK, [1]);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await result.state()).toBe('PENDING');
    expect(app.get(FleetTasks).starts).toEqual([]);
    await app.close();
    expect(broker.size('celery')).toBe(1); // given back on shutdown, not lost
  });

  it('does not connect when no task needs it', async () => {
    // A reachable Redis: a limiter that connected eagerly would be 'ready' by now.
    const limiter = new RedisRateLimiter(REDIS_URL);
    const { client } = limiter as unknown as { client: Redis };
    await sleep(100);
    expect(client.status).toBe('wait');
    await limiter.close(); // never connected: nothing to wait for
    expect(client.status).toBe('end');
  });
});
