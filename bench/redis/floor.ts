import Redis from 'ioredis';
import { buildTaskMessage } from '../../lib/protocol';
import { encodeEnvelope } from '../../lib/transports/redis/envelope';
import { RedisKeys } from '../../lib/transports/redis/keys';
import { Figure, inPlace } from './scenarios';
import { RedisBenchSizes } from './sizes';

/**
 * The floor under one-at-a-time enqueue: ioredis alone sending Celeriac's publish
 * command, a plain LPUSH (the same key, an envelope of the same size, built once),
 * with none of Celeriac's code per send. What separates Celeriac from it is
 * Celeriac's own cost.
 */
export function floorEnqueue(
  sizes: RedisBenchSizes,
  redisUrl: string,
): Promise<Figure[]> {
  return inPlace('enqueue-floor', redisUrl, async (place) => {
    const redis = new Redis(redisUrl);
    try {
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
      const one = () => redis.lpush(list, envelope);
      const warmUp = Math.min(1000, Math.ceil(sizes.enqueueOne / 5));
      for (let i = 0; i < warmUp; i++) await one();
      const started = performance.now();
      for (let i = 0; i < sizes.enqueueOne; i++) await one();
      const ms = performance.now() - started;
      return [
        {
          scenario: 'enqueue, one at a time',
          value: (sizes.enqueueOne * 1000) / ms,
          unit: 'tasks/s',
          better: 'higher',
        },
      ];
    } finally {
      redis.disconnect();
    }
  });
}
