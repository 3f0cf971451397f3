import { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Redis from 'ioredis';
import {
  TaskClient,
  TaskFailedError,
  TaskQueueModuleOptions,
} from '../../../lib';
import { REDIS_URL } from '../../support/redis-keys';
import { exited, spawnTs, waitForLine } from '../../support/spawn-ts';
import { TestApps } from '../../support/test-apps';
import { uniqueName, waitUntil } from '../../support/wait';
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
 * One block of the suite: its own names, queue and run counters, worker processes
 * started on them (`startWorker`, each with its own worker options), and a client.
 * Everything is closed and deleted after the block.
 */
class PoolHarness {
  /** Connects on first use: a block that a test filter skips opens nothing. */
  readonly admin = new Redis(REDIS_URL, { lazyConnect: true });
  readonly config: PoolConfig;
  client!: TaskClient;
  private readonly apps = new TestApps();
  private readonly workers: ChildProcess[] = [];
  private readonly name: string;

  constructor(
    private readonly broker: PoolSuiteBroker,
    label: string,
  ) {
    this.name = uniqueName(label);
    const queue = `${this.name}-q`;
    this.config = {
      module: broker.module(this.name, queue),
      queue,
      redisUrl: REDIS_URL,
      runsKey: `${this.name}:runs`,
      greeting: 'hello from the child',
    };
  }

  /** A worker process with these worker options, once it consumes. */
  async startWorker(options: object): Promise<ChildProcess> {
    const worker = spawnTs(
      WORKER,
      {
        POOL_CONFIG: JSON.stringify(this.config),
        POOL_WORKER: JSON.stringify(options),
      },
      { stderr: 'inherit' },
    );
    this.workers.push(worker);
    await waitForLine(worker, /Consuming/, 90_000);
    return worker;
  }

  async openClient(): Promise<void> {
    this.client = (await this.apps.open(this.config.module)).get(TaskClient);
  }

  get<R>(task: string, args: unknown[] = []): Promise<R> {
    return this.client
      .send<R>(task, args)
      .then((result) => result.get({ timeout: 60 }));
  }

  /** The counter a task keeps in the runs hash. */
  async count(field: string): Promise<number> {
    return Number(await this.admin.hget(this.config.runsKey, field));
  }

  async close(): Promise<void> {
    await this.apps.close();
    for (const worker of this.workers) {
      if (worker.exitCode !== null || worker.signalCode !== null) continue;
      worker.kill('SIGTERM');
      await exited(worker);
    }
    await this.admin.del(this.config.runsKey);
    this.admin.disconnect();
    await this.broker.cleanUp(this.name);
  }
}

/**
 * Isolated execution (issue 16) on a real broker: a worker process with a pool of
 * children, each the test's Nest module. Hard limits kill, a dead child is a
 * WorkerLostError (or a redelivery with rejectOnWorkerLost), children are recycled by
 * task count and by memory, a child runs childConcurrency tasks at once, DI reaches
 * the child, leases are renewed while a child spins, and SIGTERM lets running
 * children finish within shutdownTimeout before killing them (what they held is
 * delivered again).
 */
export function describePoolContract(
  label: string,
  broker: PoolSuiteBroker,
): void {
  describe(`${label}: process pool`, () => {
    const pool = new PoolHarness(broker, 'pool');
    let worker: ChildProcess;

    beforeAll(async () => {
      worker = await pool.startWorker({
        concurrency: 2,
        pool: { processes: 1, maxTasksPerChild: 3 },
      });
      await pool.openClient();
    }, 120_000);

    afterAll(() => pool.close(), 60_000);

    it('replaces a child after maxTasksPerChild (3) tasks: the 4th runs in another pid', async () => {
      const pids: number[] = [];
      for (let n = 0; n < 4; n++) pids.push(await pool.get<number>('pool.pid'));
      expect(pids[0]).not.toBe(worker.pid);
      expect(new Set(pids.slice(0, 3)).size).toBe(1);
      expect(pids[3]).not.toBe(pids[0]);
    }, 90_000);

    it('injects providers with their config in the child', async () => {
      const result = await pool.get<{ text: string; pid: number }>(
        'pool.greet',
        ['Ada'],
      );
      expect(result.text).toBe('hello from the child, Ada');
      expect(result.pid).not.toBe(worker.pid);
    }, 60_000);

    it('fails a task spinning past its hard limit with TimeLimitExceeded within limit + 2 s, then runs the next', async () => {
      const id = uniqueName('spin');
      const spinning = await pool.client.send('pool.spin', [id, 20_000]);
      const error = await spinning
        .get({ timeout: 30 })
        .catch((e: unknown) => e);
      const failedAt = Date.now();
      expect(error).toBeInstanceOf(TaskFailedError);
      expect(error).toMatchObject({
        excType: 'TimeLimitExceeded',
        excModule: 'billiard.exceptions',
      });
      const startedAt = await pool.count(`${id}:startedAt`);
      expect(startedAt).toBeGreaterThan(0);
      expect(failedAt - startedAt).toBeLessThan(1000 + 2000);
      expect(typeof (await pool.get<number>('pool.pid'))).toBe('number');
    }, 90_000);

    it('fails a task whose child exits with WorkerLostError, and goes on', async () => {
      const error = await pool.get('pool.exit').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TaskFailedError);
      const failed = error as TaskFailedError;
      expect(failed.excType).toBe('WorkerLostError');
      expect(failed.excMessage).toContain('exitcode 1');
      expect(await pool.get('pool.greet', ['again'])).toMatchObject({
        text: 'hello from the child, again',
      });
      expect(worker.exitCode).toBeNull();
    }, 90_000);

    it('delivers again, instead of failing, an acks-late task with rejectOnWorkerLost whose child exits', async () => {
      const id = uniqueName('exit-once');
      // The first run exits its child; the second returns its run count.
      expect(await pool.get<number>('pool.exitOnce', [id])).toBe(2);
      expect(await pool.count(id)).toBe(2);
      expect(worker.exitCode).toBeNull();
    }, 90_000);

    if (broker.leaseMs !== undefined) {
      const leaseMs = broker.leaseMs;
      it('renews the lease while a child spins for several leases: the task runs once', async () => {
        const id = uniqueName('spin');
        const pid = await pool.get<number>('pool.countedSpin', [
          id,
          leaseMs * 4,
        ]);
        expect(pid).not.toBe(worker.pid);
        // A redelivery would have run by now (same worker, concurrency 2).
        await pool.get('pool.pid');
        expect(await pool.count(id)).toBe(1);
      }, 90_000);
    }
  });

  describe(`${label}: process pool, childConcurrency 2 and maxMemoryPerChild`, () => {
    const pool = new PoolHarness(broker, 'pool-cc');
    /** KiB: far above a booted child, far below one that kept pool.bloat's memory. */
    const maxMemoryPerChild = 600 * 1024;

    beforeAll(async () => {
      await pool.startWorker({
        concurrency: 2,
        pool: { processes: 1, childConcurrency: 2, maxMemoryPerChild },
      });
      await pool.openClient();
    }, 120_000);

    afterAll(() => pool.close(), 60_000);

    it('runs two tasks at once in one child', async () => {
      const group = uniqueName('meet');
      // Each waits until both arrived: they finish only if they run at the same time.
      const pids = await Promise.all([
        pool.get<number>('pool.meet', [group, 2]),
        pool.get<number>('pool.meet', [group, 2]),
      ]);
      expect(pids[0]).toBe(pids[1]);
    }, 90_000);

    it('replaces a child whose memory passed maxMemoryPerChild after a task', async () => {
      const before = await pool.get<number>('pool.pid');
      expect(await pool.get<number>('pool.pid')).toBe(before); // under the limit: kept
      expect(await pool.get<number>('pool.bloat', [700])).toBe(before);
      const after = await pool.get<number>('pool.pid');
      expect(after).not.toBe(before);
      await waitUntil(() => !isAlive(before), 15_000, 'the old child to exit');
    }, 90_000);
  });

  describe(`${label}: process pool, its worker SIGKILLed`, () => {
    const pool = new PoolHarness(broker, 'pool-orphan');

    beforeAll(() => pool.openClient(), 60_000);
    afterAll(() => pool.close(), 60_000);

    it('a child spinning the CPU when its worker is SIGKILLed kills itself: no orphan spins on', async () => {
      const doomed = await pool.startWorker({
        concurrency: 1,
        pool: { processes: 1 },
      });
      const id = uniqueName('orphan');
      await pool.client.send('pool.spinWithPid', [id, 600_000]);
      await waitUntil(
        async () => (await pool.count(`${id}:pid`)) > 0,
        30_000,
        'the spin to start',
      );
      const childPid = await pool.count(`${id}:pid`);
      doomed.kill('SIGKILL');
      await exited(doomed);
      await waitUntil(
        () => !isRunning(childPid),
        10_000,
        'the orphaned child to go',
      );
    }, 120_000);
  });

  describe(`${label}: process pool, SIGTERM with children running`, () => {
    const pool = new PoolHarness(broker, 'pool-term');
    const shutdownTimeout = 6;

    beforeAll(() => pool.openClient(), 60_000);
    afterAll(() => pool.close(), 60_000);

    it('lets running children finish within shutdownTimeout, then kills them; what they held is delivered again', async () => {
      const first = await pool.startWorker({
        concurrency: 2,
        shutdownTimeout,
        pool: { processes: 2 },
      });
      const short = uniqueName('short');
      const long = uniqueName('long');
      const shortResult = await pool.client.send('pool.hold', [short, 1500]);
      const longResult = await pool.client.send('pool.hold', [long, 600_000]);
      await waitUntil(
        async () => (await pool.count(`${short}:pid`)) > 0,
        30_000,
        'the short task to start',
      );
      await waitUntil(
        async () => (await pool.count(`${long}:pid`)) > 0,
        30_000,
        'the long task to start',
      );
      const longPid = await pool.count(`${long}:pid`);

      first.kill('SIGTERM');
      await exited(first);

      // The short task finished during the shutdown: stored, run once.
      expect(await shortResult.get({ timeout: 10 })).toMatchObject({
        runs: 1,
      });
      // The long one's child was killed, and its message was not acked.
      expect(isAlive(longPid)).toBe(false);
      expect(await pool.count(long)).toBe(1);

      await pool.startWorker({ concurrency: 2, pool: { processes: 1 } });
      expect(await longResult.get({ timeout: 60 })).toMatchObject({ runs: 2 });
      expect(await pool.count(short)).toBe(1);
    }, 180_000);
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Alive and not a zombie waiting for a parent to reap it. */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
