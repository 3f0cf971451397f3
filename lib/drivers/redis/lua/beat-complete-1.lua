-- handled = max(handled, tick); lastRun likewise when the tick ran.
-- KEYS: state. ARGV: tick, ran (1/0).
local tick = tonumber(ARGV[1])
local handled = tonumber(redis.call('HGET', KEYS[1], 'handled'))
if not handled or handled < tick then redis.call('HSET', KEYS[1], 'handled', ARGV[1]) end
if ARGV[2] == '1' then
  local last = tonumber(redis.call('HGET', KEYS[1], 'lastRun'))
  if not last or last < tick then redis.call('HSET', KEYS[1], 'lastRun', ARGV[1]) end
end
return 1
