import { TaskClient } from '../../lib';
import { openBullQueue } from './bullmq-side';
import { openCeleriac } from './celeriac-app';
import { BenchPlace } from './names';
import { wallClockMs } from './stats';

export type BenchSystem = 'celeriac' | 'bullmq';
export const SYSTEMS: BenchSystem[] = ['celeriac', 'bullmq'];

/** Sends no-op tasks (and timestamped ones) the way each system's users would. */
export interface BenchProducer {
  /** One no-op task; resolves when the broker holds it. */
  one(i: number): Promise<void>;
  /** `count` no-op tasks at once: concurrent sends (Celeriac), addBulk (BullMQ). */
  many(from: number, count: number): Promise<void>;
  /** A task carrying the time it was sent, for end-to-end latency. */
  stamp(): Promise<void>;
  close(): Promise<void>;
}

export async function openProducer(
  system: BenchSystem,
  place: BenchPlace,
): Promise<BenchProducer> {
  return system === 'celeriac' ? celeriacProducer(place) : bullProducer(place);
}

async function celeriacProducer(place: BenchPlace): Promise<BenchProducer> {
  const app = await openCeleriac(place, false);
  const client = app.get(TaskClient);
  return {
    one: async (i) => void (await client.send('bench.noop', [i])),
    many: async (from, count) => {
      const sends: Promise<unknown>[] = [];
      for (let i = from; i < from + count; i++)
        sends.push(client.send('bench.noop', [i]));
      await Promise.all(sends);
    },
    stamp: async () => void (await client.send('bench.stamp', [wallClockMs()])),
    close: () => app.close(),
  };
}

async function bullProducer(place: BenchPlace): Promise<BenchProducer> {
  const queue = await openBullQueue(place);
  return {
    one: async (i) => void (await queue.add('noop', { i })),
    many: async (from, count) => {
      const jobs = Array.from({ length: count }, (_, k) => ({
        name: 'noop',
        data: { i: from + k },
      }));
      await queue.addBulk(jobs);
    },
    stamp: async () =>
      void (await queue.add('stamp', { sentAt: wallClockMs() })),
    close: () => queue.close(),
  };
}
