-- One chord header part ended: Celery's Redis chord counting (result_chord_ordered),
-- made atomic. Adds the part to the sorted set, refreshes the expiries, and when the
-- count reaches size + diff, returns every part in header order and deletes the keys,
-- so exactly one caller calls the body. Returns false while parts are missing, or when
-- no size was set.
-- KEYS: <gid>.j (sorted set of '[1, id, state, result]'), <gid>.t (diff), <gid>.s (size).
-- ARGV: the part's JSON, its score (group_index or '+inf'), seconds to keep (0: forever).
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
local count = redis.call('ZCOUNT', KEYS[1], '-inf', '+inf')
local diff = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
local size = redis.call('GET', KEYS[3])
local ttl = tonumber(ARGV[3])
if ttl > 0 then
  redis.call('EXPIRE', KEYS[1], ttl)
  redis.call('EXPIRE', KEYS[2], ttl)
  redis.call('EXPIRE', KEYS[3], ttl)
end
if not size then return false end
if count ~= tonumber(size) + diff then return false end
local parts = redis.call('ZRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
return parts
