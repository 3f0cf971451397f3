-- The sweep any consumer runs: restores our deliveries whose lease ran out, and
-- deliveries without a lease of ours (kombu's, from Python workers) older than the
-- visibility timeout, as kombu's `restore_visible` does. Skipped while kombu's sweep
-- holds `unacked_mutex`; being one atomic script, it needs no lock of its own.
-- KEYS: unacked, unacked_index, leases, unacked_mutex.
-- ARGV: the key layout (5), visibility timeout (s), max entries of each kind.
-- Returns {restored, expired leases seen, stale entries seen} or {-1} when kombu holds the lock.
-- @include server-time
-- @include restore
if redis.call('EXISTS', KEYS[4]) == 1 then return { -1 } end
local layout = key_layout(1)
local limit = tonumber(ARGV[7])
local now_ms, now_s = server_time()
local restored = 0
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now_ms, 'LIMIT', 0, limit)
for _, tag in ipairs(expired) do
  restored = restored + restore_tag(layout, KEYS[1], KEYS[2], KEYS[3], tag, now_ms)
end
local ceiling = now_s - tonumber(ARGV[6])
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ceiling, 'LIMIT', 0, limit)
for _, tag in ipairs(stale) do
  if not redis.call('ZSCORE', KEYS[3], tag) then
    restored = restored + restore_tag(layout, KEYS[1], KEYS[2], KEYS[3], tag, now_ms)
  end
end
return { restored, #expired, #stale }
