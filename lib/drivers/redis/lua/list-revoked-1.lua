-- Drops the expired ids, then returns the others: {id, expiry ms, ...}. KEYS: the set.
-- @include server-time
local now = server_time()
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
