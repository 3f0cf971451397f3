-- GCRA on one key, on Redis' clock (so workers' clocks need not agree).
-- KEYS: the limiter key (its next free slot, in microseconds since the epoch).
-- ARGV: microseconds between two runs.
-- Returns the microseconds from now until the reserved slot (0: now).
-- Numbers go through string.format: Lua's tostring would round them to 14 digits.
pcall(redis.replicate_commands)
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local slot = tonumber(redis.call('GET', KEYS[1]) or '0')
if slot < now then slot = now end
local nextFree = slot + tonumber(ARGV[1])
local ttlMs = math.ceil((nextFree - now) / 1000) + 1000
redis.call('SET', KEYS[1], string.format('%.0f', nextFree), 'PX', string.format('%.0f', ttlMs))
return string.format('%.0f', slot - now)
