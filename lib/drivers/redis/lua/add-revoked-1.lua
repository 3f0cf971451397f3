-- Keeps each id until now + ARGV[1] ms, or its current expiry if later (what `ZADD GT`
-- does, written out so Redis 6.0 runs it), then sets the key to expire with its last
-- entry. KEYS: the set. ARGV: ttl ms, task ids. Returns the expiry (ms).
-- @include server-time
local now = server_time()
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
