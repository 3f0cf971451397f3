import Redis from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The keys under `prefix`, a batch at a time (SCAN, never KEYS: the server is shared). */
async function* scanPrefix(
  client: Redis,
  prefix: string,
): AsyncGenerator<string[]> {
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
    if (keys.length > 0) yield keys;
  } while (cursor !== '0');
}

/** Deletes every key under `prefix` (SCAN, never FLUSHDB: the server is shared). */
export async function deletePrefix(
  client: Redis,
  prefix: string,
): Promise<void> {
  for await (const keys of scanPrefix(client, prefix))
    await client.del(...keys);
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

/** Every key under `prefix`, on a connection of its own. */
export async function keysUnder(
  prefix: string,
  url = REDIS_URL,
): Promise<string[]> {
  const redis = new Redis(url);
  try {
    const found: string[] = [];
    for await (const keys of scanPrefix(redis, prefix)) found.push(...keys);
    return found;
  } finally {
    redis.disconnect();
  }
}
