import { ConnectionOptions, Queue } from 'bullmq';
import { BenchPlace } from './names';

/** BullMQ's connection options for the scenario's Redis. */
export function bullConnection(place: BenchPlace): ConnectionOptions {
  const url = new URL(place.redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    db: Number(url.pathname.slice(1) || 0),
    maxRetriesPerRequest: null,
  };
}

export async function openBullQueue(place: BenchPlace): Promise<Queue> {
  const queue = new Queue(place.queue, {
    connection: bullConnection(place),
    prefix: place.bullPrefix,
    defaultJobOptions: { removeOnComplete: true },
  });
  await queue.waitUntilReady();
  await queue.count();
  return queue;
}
