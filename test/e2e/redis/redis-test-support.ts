import Redis from 'ioredis';
import { RedisTransportOptions } from '../../../lib/transports/redis';
import { uniqueName } from '../../support/wait';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test uses; every key a test makes starts with it. */
export function uniquePrefix(label: string): string {
  return `${uniqueName(`celeriac-test-${label}`)}:`;
}

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

/** Collects what the transport logs, so expected outages do not clutter the output. */
export function quietLogger(): NonNullable<RedisTransportOptions['logger']> & {
  lines: string[];
} {
  const lines: string[] = [];
  return {
    lines,
    warn: (message: string) => lines.push(`warn: ${message}`),
    error: (message: string) => lines.push(`error: ${message}`),
  };
}
