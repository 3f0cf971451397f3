import { LUA_RESTORE_HELPERS, LUA_TIME } from './helpers';
import { RedisScript } from '../../../drivers/redis/script';

/**
 * The sweep any consumer runs: restores our deliveries whose lease ran out, and
 * deliveries without a lease of ours (kombu's, from Python workers) older than the
 * visibility timeout, as kombu's `restore_visible` does. Skipped while kombu's sweep
 * holds `unacked_mutex`; being one atomic script, it needs no lock of its own.
 * KEYS: unacked, unacked_index, leases, unacked_mutex.
 * ARGV: key prefix, visibility timeout (s), max entries of each kind.
 * Returns {restored, expired leases seen, stale entries seen} or {-1} when kombu holds the lock.
 */
export const sweepScript = new RedisScript(
  'sweep',
  `${LUA_TIME}${LUA_RESTORE_HELPERS}
if redis.call('EXISTS', KEYS[4]) == 1 then return { -1 } end
local prefix = ARGV[1]
local limit = tonumber(ARGV[3])
local now_ms, now_s = server_time()
local restored = 0
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now_ms, 'LIMIT', 0, limit)
for _, tag in ipairs(expired) do
  restored = restored + restore_tag(prefix, KEYS[1], KEYS[2], KEYS[3], tag, now_ms)
end
local ceiling = now_s - tonumber(ARGV[2])
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ceiling, 'LIMIT', 0, limit)
for _, tag in ipairs(stale) do
  if not redis.call('ZSCORE', KEYS[3], tag) then
    restored = restored + restore_tag(prefix, KEYS[1], KEYS[2], KEYS[3], tag, now_ms)
  end
end
return { restored, #expired, #stale }
`,
);

/**
 * Gives back the given deliveries now (transport closing, or fetched after a stop).
 * KEYS: unacked, unacked_index, leases. ARGV: key prefix, tags.
 */
export const giveBackScript = new RedisScript(
  'give-back',
  `${LUA_TIME}${LUA_RESTORE_HELPERS}
local now_ms = server_time()
local restored = 0
for i = 2, #ARGV do
  restored = restored + restore_tag(ARGV[1], KEYS[1], KEYS[2], KEYS[3], ARGV[i], now_ms)
end
return restored
`,
);

/**
 * Renews the leases of deliveries still held, and refreshes their kombu index score
 * so a Python worker's visibility sweep never restores them. Returns the tags that
 * are gone (restored elsewhere after the lease ran out).
 * KEYS: unacked, unacked_index, leases. ARGV: lease ms, tags.
 */
export const renewScript = new RedisScript(
  'renew',
  `${LUA_TIME}
local now_ms, now_s = server_time()
local deadline = now_ms + tonumber(ARGV[1])
local lost = {}
for i = 2, #ARGV do
  local tag = ARGV[i]
  if redis.call('HEXISTS', KEYS[1], tag) == 1 then
    redis.call('ZADD', KEYS[3], deadline, tag)
    redis.call('ZADD', KEYS[2], now_s, tag)
  else
    redis.call('ZREM', KEYS[3], tag)
    lost[#lost + 1] = tag
  end
end
return lost
`,
);
