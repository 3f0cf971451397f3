import Redis from 'ioredis';
import { BenchPlace } from './names';

/** Deletes every key a scenario made (SCAN by prefix, never FLUSHDB: Redis is shared). */
export async function cleanUp(place: BenchPlace): Promise<void> {
  const redis = new Redis(place.redisUrl);
  try {
    for (const pattern of [
      `${place.celeriacPrefix}*`,
      `${place.bullPrefix}:*`,
    ]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(
          cursor,
          'MATCH',
          pattern,
          'COUNT',
          2000,
        );
        cursor = next;
        if (keys.length > 0) await redis.unlink(...keys);
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}
