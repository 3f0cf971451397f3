import { Injectable } from '@nestjs/common';
import { TRANSPORT } from '../../../lib/options/tokens';
import { buildTaskMessage } from '../../../lib/protocol';
import { Transport } from '../../../lib/transports/transport';
import {
  SoftTimeLimitExceeded,
  Task,
  TaskContext,
  TaskRevokedError,
} from '../../../lib';
import { ExecutionHarness, useExecutionFixture } from './harness';

/** Tasks that overrun, clean up, or are rate-limited; each run is recorded. */
@Injectable()
class LimitTasks {
  starts: Array<{ name: string; at: number }> = [];
  reasons: string[] = [];

  constructor(private readonly taskContext: TaskContext) {}

  /** Stops when told to (soft limit), cleaning up first. */
  @Task({ name: 'limits.cooperative', softTimeLimit: 0.1 })
  async cooperative(): Promise<string> {
    const { signal } = this.taskContext.current;
    await new Promise<void>((resolve) =>
      signal.addEventListener('abort', () => resolve()),
    );
    this.reasons.push((signal.reason as Error).name);
    if (!(signal.reason instanceof SoftTimeLimitExceeded))
      throw new Error('wrong reason');
    return 'cleaned up';
  }

  /** Never settles, whatever happens: only a hard limit or terminate frees its slot. */
  @Task({
    name: 'limits.stuck',
    timeLimit: 0.2,
    maxRetries: 3,
    retryDelay: '10ms',
  })
  stuck(): Promise<never> {
    this.record('stuck');
    return new Promise<never>(() => undefined);
  }

  /** Never settles; limits come from the call or the message only. */
  @Task('limits.unbounded')
  unbounded(): Promise<never> {
    this.record('unbounded');
    return new Promise<never>(() => undefined);
  }

  @Task('limits.quick')
  quick(n: number): number {
    this.record('quick');
    return n;
  }

  @Task({ name: 'limits.rated', rateLimit: '10/s' })
  rated(n: number): number {
    this.record('rated');
    return n;
  }

  @Task({ name: 'limits.slow', rateLimit: '4/s' })
  slow(n: number): number {
    this.record('slow');
    return n;
  }

  @Task({ name: 'limits.fleet', fleetRateLimit: '5/s' })
  fleet(n: number): number {
    this.record('fleet');
    return n;
  }

  @Task({
    name: 'limits.expiring',
    expires: 0.3,
    maxRetries: 3,
    retryDelay: 0.6,
  })
  expiring(): never {
    this.record('expiring');
    throw new Error('try later');
  }

  startsOf(name: string): number[] {
    return this.starts
      .filter((start) => start.name === name)
      .map((start) => start.at);
  }

  private record(name: string): void {
    this.starts.push({ name, at: Date.now() });
  }
}

export function describeLimits(harness: ExecutionHarness): void {
  describe('time limits', () => {
    const fixture = useExecutionFixture(harness);

    it('fires the signal at the soft limit with SoftTimeLimitExceeded; the task may clean up', async () => {
      const app = await fixture().app([LimitTasks]);
      const result = await fixture().client(app).send('limits.cooperative');
      expect(await result.get({ timeout: 10 })).toBe('cleaned up');
      expect(app.get(LimitTasks).reasons).toEqual(['SoftTimeLimitExceeded']);
    });

    it('fails a task at its hard limit with TimeLimitExceeded, unretried, and frees its slot', async () => {
      const app = await fixture().app([LimitTasks], {
        worker: { concurrency: 1 },
      });
      const client = fixture().client(app);
      const stuck = await client.send('limits.stuck');
      const quick = await client.send('limits.quick', [5]);
      await expect(stuck.get({ timeout: 10 })).rejects.toMatchObject({
        excType: 'TimeLimitExceeded',
        excModule: 'billiard.exceptions',
      });
      expect(await quick.get({ timeout: 10 })).toBe(5);
      expect(app.get(LimitTasks).startsOf('stuck')).toHaveLength(1);
    });

    it('honours a call’s limits and the timelimit header of a Celery message', async () => {
      const app = await fixture().app([LimitTasks], {
        worker: { concurrency: 1 },
      });
      const client = fixture().client(app);
      const byCall = await client.send('limits.unbounded', [], {
        timeLimit: 0.15,
      });
      await expect(byCall.get({ timeout: 10 })).rejects.toMatchObject({
        excType: 'TimeLimitExceeded',
      });
      const celery = buildTaskMessage({
        name: 'limits.unbounded',
        id: `celery-${fixture().queue}`,
        args: [],
        kwargs: {},
        origin: 'gen1@python',
        timeLimit: [0.15, null],
      });
      await app.get<Transport>(TRANSPORT).publish(fixture().queue, celery);
      await expect(
        client.result(celery.headers.id).get({ timeout: 10 }),
      ).rejects.toMatchObject({
        excType: 'TimeLimitExceeded',
      });
      expect(app.get(LimitTasks).startsOf('unbounded')).toHaveLength(2);
    });
  });

  describe('rate limits', () => {
    const fixture = useExecutionFixture(harness);

    it('makes a rate-limited task wait its turn; none is dropped or failed', async () => {
      const app = await fixture().app([LimitTasks]);
      const client = fixture().client(app);
      const results = await Promise.all(
        [0, 1, 2, 3, 4].map((n) => client.send('limits.rated', [n])),
      );
      expect(
        await Promise.all(results.map((result) => result.get({ timeout: 10 }))),
      ).toEqual([0, 1, 2, 3, 4]);
      const starts = app.get(LimitTasks).startsOf('rated');
      // 10/s: five runs are at least four intervals (400 ms) apart end to end.
      expect(starts[4] - starts[0]).toBeGreaterThanOrEqual(380);
    });

    it('does not hold up other task types while a rate-limited one waits', async () => {
      const app = await fixture().app([LimitTasks], {
        worker: { concurrency: 2, prefetchMultiplier: 1 },
      });
      const client = fixture().client(app);
      const slow = await Promise.all(
        [0, 1, 2, 3, 4, 5].map((n) => client.send('limits.slow', [n])),
      );
      const quick = await client.send('limits.quick', [9]);
      expect(await quick.get({ timeout: 10 })).toBe(9);
      // 4/s: six slow tasks need 1.25 s; the quick one did not wait behind them.
      expect(app.get(LimitTasks).startsOf('slow').length).toBeLessThan(6);
      expect(await slow[5].get({ timeout: 10 })).toBe(5);
      for (const result of slow) expect(await result.state()).toBe('SUCCESS');
    });

    it('keeps a fleet-wide limit across workers', async () => {
      const first = await fixture().app([LimitTasks], {
        worker: { concurrency: 4 },
      });
      const second = await fixture().app([LimitTasks], {
        worker: { concurrency: 4 },
      });
      const client = fixture().client(first);
      const results = await Promise.all(
        [0, 1, 2, 3, 4, 5].map((n) => client.send('limits.fleet', [n])),
      );
      for (const result of results) await result.get({ timeout: 10 });
      const starts = [
        ...first.get(LimitTasks).startsOf('fleet'),
        ...second.get(LimitTasks).startsOf('fleet'),
      ].sort((a, b) => a - b);
      expect(starts).toHaveLength(6);
      // 5/s across both workers: six runs span at least five intervals (1 s).
      expect(starts[5] - starts[0]).toBeGreaterThanOrEqual(950);
    });
  });

  describe('expiry and eta', () => {
    const fixture = useExecutionFixture(harness);

    it('does not run a task that expired while waiting for its retry: REVOKED', async () => {
      const app = await fixture().app([LimitTasks]);
      const result = await fixture().client(app).send('limits.expiring');
      const error = (await result
        .get({ timeout: 10 })
        .catch((e: unknown) => e)) as TaskRevokedError;
      expect(error).toBeInstanceOf(TaskRevokedError);
      expect(error.reason).toBe('expired');
      expect(app.get(LimitTasks).startsOf('expiring')).toHaveLength(1);
    });

    it('runs an eta in the past at once, and refuses a negative countdown', async () => {
      const app = await fixture().app([LimitTasks]);
      const client = fixture().client(app);
      const past = await client.send('limits.quick', [1], {
        eta: new Date(Date.now() - 3_600_000),
      });
      expect(await past.get({ timeout: 10 })).toBe(1);
      const publish = jest.spyOn(app.get<Transport>(TRANSPORT), 'publish');
      await expect(
        client.send('limits.quick', [2], { countdown: -1 }),
      ).rejects.toThrow(/countdown must not be negative/);
      expect(publish).not.toHaveBeenCalled(); // refused before anything was sent
    });
  });
}
