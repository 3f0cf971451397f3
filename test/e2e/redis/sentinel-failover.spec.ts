import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { Task, TaskClient } from '../../../lib';
import { RedisTickLock } from '../../../lib/locks/redis/redis-tick-lock';
import { TestApps } from '../../support/test-apps';
import { sleep, uniqueName, waitUntil } from '../../support/wait';
import { REDIS_URL, deletePrefix, quietLogger } from './redis-test-support';
import { SentinelFleet } from '../../support/sentinel-fleet';

const TASKS = 600;
const KILL_AFTER = 150;
const recordsKey = uniqueName('celeriac-sentinel-runs');
/** Where runs are counted: the test's usual Redis, which the failover does not touch. */
const recorder = new Redis(REDIS_URL);

@Injectable()
class SentinelTasks {
  // Every run reserves its slot in the fleet rate limiter, on the broker's Sentinel.
  @Task({ name: 'sentinel.record', fleetRateLimit: '100000/s' })
  async record(n: number): Promise<number> {
    await recorder.hincrby(recordsKey, String(n), 1);
    return n;
  }
}

/**
 * Redis Sentinel: broker, result backend and rate limiter found through three local
 * sentinels. The master is SIGKILLed mid-run: the sentinels promote the replica, the
 * app follows it, and no task whose send resolved is lost (publish waits for the
 * replica: replicaAcks, 1 by default with Sentinel).
 */
describe('Redis Sentinel failover under load', () => {
  let fleet: SentinelFleet;
  const apps = new TestApps();

  beforeAll(async () => {
    fleet = await SentinelFleet.start();
  }, 60_000);

  afterAll(async () => {
    await apps.close();
    await fleet?.stop();
    await recorder.del(recordsKey);
    await deletePrefix(recorder, recordsKey);
    recorder.disconnect();
  });

  it('kills the master mid-run: 0 lost among sends that resolved; the app resumes on the new master', async () => {
    const queue = uniqueName('sentinel');
    const app = await apps.open(
      {
        broker: fleet.url(),
        backend: fleet.url(1),
        defaultQueue: queue,
        worker: { queues: [queue], concurrency: 8 },
        brokerOptions: {
          publishWaitMs: 30_000,
          leaseMs: 5_000,
          logger: quietLogger(),
        },
      },
      { providers: [SentinelTasks], logger: false },
    );
    const client = app.get(TaskClient);
    const oldMaster = await fleet.currentMaster();
    expect(oldMaster).toBe(fleet.masterPort);

    const resolved = new Set<number>();
    const failed: string[] = [];
    let killed: Promise<void> | undefined;
    const inFlight = new Set<Promise<void>>();
    for (let n = 0; n < TASKS; n++) {
      if (n === KILL_AFTER) {
        killed = (async () => {
          await fleet.kill(oldMaster);
          // Back empty: the sentinels make it a replica of the new master.
          await waitUntil(
            async () => (await fleet.currentMaster()) !== oldMaster,
            30_000,
            'the sentinels to promote the replica',
          );
          await fleet.revive(oldMaster);
        })();
      }
      const sending = client
        .send('sentinel.record', [n], { ignoreResult: true })
        .then(
          () => void resolved.add(n),
          (error: Error) => void failed.push(`${n}: ${error.message}`),
        );
      inFlight.add(sending);
      void sending.finally(() => inFlight.delete(sending));
      if (inFlight.size >= 4) await Promise.race(inFlight);
      await sleep(5);
    }
    await Promise.all(inFlight);
    await killed;
    expect(await fleet.currentMaster()).toBe(fleet.replicaPort);

    const runs = async () =>
      new Map(
        Object.entries(await recorder.hgetall(recordsKey)).map(([n, count]) => [
          Number(n),
          Number(count),
        ]),
      );
    await waitUntil(
      async () => {
        const done = await runs();
        return [...resolved].every((n) => done.has(n));
      },
      90_000,
      'every task whose send resolved to run',
    ).catch(() => undefined);
    const done = await runs();
    const lost = [...resolved].filter((n) => !done.has(n));
    const duplicated = [...done.values()].filter((count) => count > 1).length;
    // The figure the issue asks for, printed for the record.
    process.stdout.write(
      `sentinel failover: sent ${TASKS}, send resolved ${resolved.size}, send rejected ${failed.length}, ` +
        `completed ${done.size}, lost ${lost.length}, run twice ${duplicated}\n`,
    );
    expect(lost).toEqual([]);
    expect(resolved.size).toBeGreaterThan(KILL_AFTER);

    // Results through Sentinel too, on the new master.
    const result = await client.send<number>('sentinel.record', [TASKS + 1]);
    expect(await result.get({ timeout: 30 })).toBe(TASKS + 1);
    // And beat's tick lock.
    const lock = new RedisTickLock(fleet.url(), {
      keyPrefix: `${queue}:beat:`,
    });
    try {
      expect(await lock.state('sentinel.tick', 0)).toBeDefined();
    } finally {
      await lock.close();
    }
  }, 240_000);
});
