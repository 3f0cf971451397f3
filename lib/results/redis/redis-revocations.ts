import type Redis from 'ioredis';
import { RedisScript } from '../../drivers/redis/script';
import { RevocationStore, RevokedTask } from '../revocation-store';

/** Redis' clock in ms (every expiry is on it, whatever the callers' clocks say). */
const NOW_MS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * Keeps each id until now + ARGV[1] ms, or its current expiry if later (what `ZADD GT`
 * does, written out so Redis 6.0 runs it), then sets the key to expire with its last
 * entry. KEYS: the set. ARGV: ttl ms, task ids. Returns the expiry (ms).
 */
const addScript = new RedisScript(
  'add-revoked',
  `${NOW_MS}
local expires_at = now + tonumber(ARGV[1])
for i = 2, #ARGV do
  local kept = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if not kept or tonumber(kept) < expires_at then
    redis.call('ZADD', KEYS[1], expires_at, ARGV[i])
  end
end
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] then redis.call('PEXPIREAT', KEYS[1], math.ceil(tonumber(last[2]))) end
return expires_at
`,
);

/** Drops the expired ids, then returns the others: [id, expiry ms, ...]. KEYS: the set. */
const listScript = new RedisScript(
  'list-revoked',
  `${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
`,
);

/**
 * Revoked task ids in one sorted set (member = task id, score = when it stops being
 * kept, ms on Redis' clock). The key expires with its last entry, so nothing is left
 * behind once every revoke ran out.
 */
export class RedisRevocations implements RevocationStore {
  constructor(
    private readonly client: Redis,
    /** `<keyPrefix>celeriac-revoked`. */
    readonly key: string,
  ) {}

  async addRevoked(
    taskIds: readonly string[],
    ttlSeconds: number,
  ): Promise<void> {
    if (taskIds.length === 0) return;
    if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
      throw new RangeError(
        `addRevoked: ttlSeconds must be a positive number, got ${ttlSeconds}`,
      );
    }
    await addScript.run(
      this.client,
      [this.key],
      [Math.ceil(ttlSeconds * 1000), ...new Set(taskIds)],
    );
  }

  async listRevoked(): Promise<RevokedTask[]> {
    const flat = (await listScript.run(
      this.client,
      [this.key],
      [],
    )) as string[];
    const revoked: RevokedTask[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      revoked.push({
        taskId: flat[i],
        expiresAt: new Date(Number(flat[i + 1])),
      });
    }
    return revoked;
  }
}
