-- Pauses or resumes a schedule; resuming skips the ticks missed while paused.
-- KEYS: state. ARGV: paused (1/0), latest tick.
redis.call('HSETNX', KEYS[1], 'handled', ARGV[2])
redis.call('HSET', KEYS[1], 'paused', ARGV[1])
if ARGV[1] == '0' and tonumber(redis.call('HGET', KEYS[1], 'handled')) < tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'handled', ARGV[2])
end
return 1
