-- Gives back the given deliveries now (transport closing, or fetched after a stop).
-- KEYS: unacked, unacked_index, leases. ARGV: the key layout (5), tags.
-- @include server-time
-- @include restore
local layout = key_layout(1)
local now_ms = server_time()
local restored = 0
for i = 6, #ARGV do
  restored = restored + restore_tag(layout, KEYS[1], KEYS[2], KEYS[3], ARGV[i], now_ms)
end
return restored
