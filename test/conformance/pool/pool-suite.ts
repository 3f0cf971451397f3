import { ChildProcess } from 'node:child_process';
import Redis from 'ioredis';
import {
  TaskClient,
  TaskFailedError,
  TaskQueueModuleOptions,
} from '../../../lib';
import { REDIS_URL } from '../../support/redis-keys';
import { exited, spawnTs, waitForLine } from '../../support/spawn-ts';
import { TestApps } from '../../support/test-apps';
import { uniqueName } from '../../support/wait';
import { PoolConfig } from './pool-app';

const WORKER = `${__dirname}/pool-worker.ts`;

/** How the suite reaches one broker. */
export interface PoolSuiteBroker {
  /** TaskQueueModule options on this broker, behind `name`'s keys or objects. */
  module(name: string, queue: string): TaskQueueModuleOptions;
  /** Deletes what `module(name)` made. */
  cleanUp(name: string): Promise<void>;
  /** The broker holds deliveries by a lease the worker renews (Redis): run the lease case. */
  leaseMs?: number;
}

/**
 * Isolated execution (issue 16) on a real broker: a worker process with a pool of
 * children, each the test's Nest module. Hard limits kill, a dead child is a
 * WorkerLostError, children are recycled, DI reaches the child, leases are renewed
 * while a child spins.
 */
export function describePoolContract(
  label: string,
  broker: PoolSuiteBroker,
): void {
  describe(`${label}: process pool`, () => {
    const admin = new Redis(REDIS_URL);
    const apps = new TestApps();
    const name = uniqueName('pool');
    const queue = `${name}-q`;
    const config: PoolConfig = {
      module: broker.module(name, queue),
      queue,
      redisUrl: REDIS_URL,
      runsKey: `${name}:runs`,
      greeting: 'hello from the child',
    };
    let worker: ChildProcess;
    let client: TaskClient;

    beforeAll(async () => {
      worker = spawnTs(
        WORKER,
        {
          POOL_CONFIG: JSON.stringify(config),
          POOL_WORKER: JSON.stringify({
            concurrency: 2,
            pool: { processes: 1, maxTasksPerChild: 3 },
          }),
        },
        { stderr: 'inherit' },
      );
      await waitForLine(worker, /Consuming/, 90_000);
      client = (await apps.open(config.module)).get(TaskClient);
    }, 120_000);

    afterAll(async () => {
      await apps.close();
      if (worker.exitCode === null) {
        worker.kill('SIGTERM');
        await exited(worker);
      }
      await admin.del(config.runsKey);
      await admin.quit();
      await broker.cleanUp(name);
    }, 60_000);

    const get = async <R>(task: string, args: unknown[] = []) =>
      (await client.send<R>(task, args)).get({ timeout: 60 });

    it('replaces a child after maxTasksPerChild (3) tasks: the 4th runs in another pid', async () => {
      const pids: number[] = [];
      for (let n = 0; n < 4; n++) pids.push(await get<number>('pool.pid'));
      expect(pids[0]).not.toBe(worker.pid);
      expect(new Set(pids.slice(0, 3)).size).toBe(1);
      expect(pids[3]).not.toBe(pids[0]);
    }, 90_000);

    it('injects providers with their config in the child', async () => {
      const result = await get<{ text: string; pid: number }>('pool.greet', [
        'Ada',
      ]);
      expect(result.text).toBe('hello from the child, Ada');
      expect(result.pid).not.toBe(worker.pid);
    }, 60_000);

    it('fails a task spinning past its hard limit with TimeLimitExceeded within limit + 2 s, then runs the next', async () => {
      const id = uniqueName('spin');
      const spinning = await client.send('pool.spin', [id, 20_000]);
      const error = await spinning
        .get({ timeout: 30 })
        .catch((e: unknown) => e);
      const failedAt = Date.now();
      expect(error).toBeInstanceOf(TaskFailedError);
      expect(error).toMatchObject({
        excType: 'TimeLimitExceeded',
        excModule: 'billiard.exceptions',
      });
      const startedAt = Number(
        await admin.hget(config.runsKey, `${id}:startedAt`),
      );
      expect(startedAt).toBeGreaterThan(0);
      expect(failedAt - startedAt).toBeLessThan(1000 + 2000);
      expect(typeof (await get<number>('pool.pid'))).toBe('number');
    }, 90_000);

    it('fails a task whose child exits with WorkerLostError, and goes on', async () => {
      const error = await get('pool.exit').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TaskFailedError);
      const failed = error as TaskFailedError;
      expect(failed.excType).toBe('WorkerLostError');
      expect(failed.excMessage).toContain('exitcode 1');
      expect(await get('pool.greet', ['again'])).toMatchObject({
        text: 'hello from the child, again',
      });
      expect(worker.exitCode).toBeNull();
    }, 90_000);

    if (broker.leaseMs !== undefined) {
      const leaseMs = broker.leaseMs;
      it('renews the lease while a child spins for several leases: the task runs once', async () => {
        const id = uniqueName('spin');
        const pid = await get<number>('pool.countedSpin', [id, leaseMs * 4]);
        expect(pid).not.toBe(worker.pid);
        // A redelivery would have run by now (same worker, concurrency 2).
        await get('pool.pid');
        expect(await admin.hget(config.runsKey, id)).toBe('1');
      }, 90_000);
    }
  });
}
