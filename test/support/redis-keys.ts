import Redis from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Deletes every key under `prefix` (SCAN, never FLUSHDB: the server is shared). */
export async function deletePrefix(
  client: Redis,
  prefix: string,
): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(
      cursor,
      'MATCH',
      `${prefix}*`,
      'COUNT',
      1000,
    );
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
}

/** deletePrefix on a connection of its own (a test's own namespace). */
export async function deleteKeys(
  prefix: string,
  url = REDIS_URL,
): Promise<void> {
  const redis = new Redis(url);
  try {
    await deletePrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}
