import { TickLock } from '../../lib/locks/tick-lock';
import { sleep, uniqueName } from '../support/wait';

/**
 * What every tick lock store must do, written once and run against memory and Redis.
 * `open(namespace)` gives a new lock on the store for that namespace: two calls with
 * one namespace are two beats sharing a store (two connections, for Redis).
 */
export interface TickLockHarness {
  open(namespace: string): TickLock;
  /** Deletes what the store keeps for the namespace. */
  cleanup(namespace: string): Promise<void>;
}

export function describeTickLockContract(
  label: string,
  harness: TickLockHarness,
): void {
  describe(`${label} tick lock contract`, () => {
    const locks: TickLock[] = [];
    const namespaces: string[] = [];
    const fleet = (size: number): TickLock[] => {
      const namespace = uniqueName('tick-lock');
      namespaces.push(namespace);
      const opened = Array.from({ length: size }, () =>
        harness.open(namespace),
      );
      locks.push(...opened);
      return opened;
    };

    afterEach(async () => {
      await Promise.all(locks.splice(0).map((lock) => lock.close()));
      await Promise.all(
        namespaces.splice(0).map((namespace) => harness.cleanup(namespace)),
      );
    });

    it('starts a schedule at the first baseline written, whoever reads it later', async () => {
      const [a, b] = fleet(2);
      expect(await a.peek('s')).toBeUndefined();
      expect(await a.state('s', 1000)).toEqual({
        handled: 1000,
        lastRun: null,
        paused: false,
      });
      expect(await b.state('s', 2000)).toEqual({
        handled: 1000,
        lastRun: null,
        paused: false,
      });
      expect(await b.peek('s')).toEqual({
        handled: 1000,
        lastRun: null,
        paused: false,
      });
    });

    it('gives a tick to exactly one of many beats claiming it at once', async () => {
      const beats = fleet(5);
      await beats[0].state('s', 1000);
      const claims = await Promise.all(
        beats.flatMap((lock, i) => [
          lock.claim('s', 2000, `b${i}`, 60_000),
          lock.claim('s', 2000, `b${i}'`, 60_000),
        ]),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      // Another tick, or another schedule, is a separate claim.
      expect(await beats[1].claim('s', 3000, 'b1', 60_000)).toBe(true);
      expect(await beats[1].claim('other', 2000, 'b1', 60_000)).toBe(true);
    });

    it('never gives a tick at or before `handled`, even once its claim expired', async () => {
      const [a, b] = fleet(2);
      await a.state('s', 1000);
      expect(await a.claim('s', 1000, 'a', 60_000)).toBe(false);
      expect(await a.claim('s', 2000, 'a', 20)).toBe(true);
      await a.complete('s', 2000, true);
      await sleep(60);
      expect(await b.claim('s', 2000, 'b', 60_000)).toBe(false);
      expect(await b.claim('s', 1500, 'b', 60_000)).toBe(false);
    });

    it('gives a tick again once the claim of a beat that never completed expired', async () => {
      const [a, b] = fleet(2);
      await a.state('s', 1000);
      expect(await a.claim('s', 2000, 'a', 30)).toBe(true);
      expect(await b.claim('s', 2000, 'b', 60_000)).toBe(false);
      await sleep(80);
      expect(await b.claim('s', 2000, 'b', 60_000)).toBe(true);
    });

    it('lets only the owner release a claim', async () => {
      const [a, b] = fleet(2);
      await a.state('s', 1000);
      expect(await a.claim('s', 2000, 'a', 60_000)).toBe(true);
      await b.release('s', 2000, 'b');
      expect(await b.claim('s', 2000, 'b', 60_000)).toBe(false);
      await a.release('s', 2000, 'a');
      expect(await b.claim('s', 2000, 'b', 60_000)).toBe(true);
    });

    it('moves handled and lastRun forward only', async () => {
      const [a, b] = fleet(2);
      await a.state('s', 1000);
      await a.complete('s', 3000, true);
      await b.complete('s', 2000, true);
      expect(await b.peek('s')).toEqual({
        handled: 3000,
        lastRun: 3000,
        paused: false,
      });
      await b.complete('s', 5000, false);
      expect(await a.peek('s')).toEqual({
        handled: 5000,
        lastRun: 3000,
        paused: false,
      });
    });

    it('pauses fleet-wide, and resumes past the ticks that passed meanwhile', async () => {
      const [a, b] = fleet(2);
      await a.setPaused('new', true, 1000);
      expect(await b.state('new', 9000)).toEqual({
        handled: 1000,
        lastRun: null,
        paused: true,
      });
      await b.setPaused('new', false, 5000);
      expect(await a.peek('new')).toEqual({
        handled: 5000,
        lastRun: null,
        paused: false,
      });
      await a.setPaused('new', true, 6000);
      await a.setPaused('new', false, 4000);
      expect(await b.peek('new')).toEqual({
        handled: 5000,
        lastRun: null,
        paused: false,
      });
    });

    it('keeps real epoch milliseconds exactly', async () => {
      const [a] = fleet(1);
      const tick = Date.parse('2026-10-25T01:00:00.000Z');
      await a.state('s', tick - 3_600_000);
      expect(await a.claim('s', tick, 'a', 60_000)).toBe(true);
      await a.complete('s', tick, true);
      expect(await a.peek('s')).toEqual({
        handled: tick,
        lastRun: tick,
        paused: false,
      });
    });

    it('keeps the catalogue of schedules every beat publishes, by name, the last writer winning', async () => {
      const [a, b] = fleet(2);
      expect(await a.publishedSchedules()).toEqual([]);
      const entry = {
        name: 'hourly',
        task: 'reports.hourly',
        spec: { every: 3_600_000 },
        description: 'every 1h',
        args: [1, 'x'],
        source: 'decorator' as const,
        publishedBy: 'a',
        publishedAt: 1,
      };
      const nightly = {
        ...entry,
        name: 'nightly',
        spec: { cron: '0 3 * * *', timezone: 'Europe/Paris' },
        description: 'cron "0 3 * * *" in Europe/Paris',
        queue: 'reports',
        source: 'runtime' as const,
      };
      await a.publishSchedules([entry, nightly]);
      await b.publishSchedules([
        { ...entry, publishedBy: 'b', publishedAt: 2 },
      ]);
      const byName = (list: { name: string }[]) =>
        [...list].sort((x, y) => x.name.localeCompare(y.name));
      expect(byName(await a.publishedSchedules())).toEqual([
        { ...entry, publishedBy: 'b', publishedAt: 2 },
        nightly,
      ]);
      await b.unpublishSchedule('nightly');
      expect(await a.publishedSchedules()).toEqual([
        { ...entry, publishedBy: 'b', publishedAt: 2 },
      ]);
    });
  });
}
