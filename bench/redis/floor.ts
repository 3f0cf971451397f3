import Redis from 'ioredis';
import { buildTaskMessage } from '../../lib/protocol';
import { encodeEnvelope } from '../../lib/transports/redis/envelope';
import { RedisKeys } from '../../lib/transports/redis/keys';
import { BenchPlace } from './names';

/** The floor's producer: one LPUSH of a prebuilt envelope per call. */
export interface FloorProducer {
  one(): Promise<unknown>;
  close(): void;
}

/**
 * The floor under one-at-a-time enqueue: ioredis alone sending Celeriac's publish
 * command, a plain LPUSH (the same key, an envelope of the same size, built once),
 * with none of Celeriac's code per send. What separates Celeriac from it is
 * Celeriac's own cost. `enqueue` runs it interleaved with Celeriac's sends, chunk by
 * chunk on the same place, so that both see the same noise of a shared host.
 */
export function openFloor(place: BenchPlace, redisUrl: string): FloorProducer {
  const redis = new Redis(redisUrl);
  const keys = new RedisKeys(place.celeriacPrefix);
  const envelope = encodeEnvelope(
    place.queue,
    buildTaskMessage({
      name: 'bench.noop',
      id: crypto.randomUUID(),
      args: [0],
      kwargs: {},
      origin: 'bench',
      ignoreResult: false,
      replyTo: crypto.randomUUID(),
      now: new Date(),
    }),
  );
  // With a backlog, as here, a Celeriac publish is this one LPUSH (see push.ts).
  const list = keys.list(place.queue);
  return {
    one: () => redis.lpush(list, envelope),
    close: () => redis.disconnect(),
  };
}
