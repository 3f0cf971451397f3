-- Claims a tick unless the schedule handled it already. KEYS: state, claim.
-- ARGV: tick, owner, ttl ms. Returns 1 if claimed.
local handled = tonumber(redis.call('HGET', KEYS[1], 'handled'))
if handled and handled >= tonumber(ARGV[1]) then return 0 end
if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) then return 1 end
return 0
