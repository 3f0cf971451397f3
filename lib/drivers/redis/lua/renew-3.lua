-- Renews the leases of deliveries still held, and refreshes their kombu index score
-- so a Python worker's visibility sweep never restores them. Returns the tags that
-- are gone (restored elsewhere after the lease ran out).
-- KEYS: unacked, unacked_index, leases. ARGV: lease ms, tags.
-- @include server-time
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
