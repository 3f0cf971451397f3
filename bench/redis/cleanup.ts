import { deleteKeys } from '../../test/support/redis-keys';
import { BenchPlace } from './names';

/** Deletes every key a scenario made (SCAN by prefix, never FLUSHDB: Redis is shared). */
export async function cleanUp(place: BenchPlace): Promise<void> {
  await deleteKeys(place.celeriacPrefix, place.redisUrl);
  await deleteKeys(`${place.bullPrefix}:`, place.redisUrl);
}
