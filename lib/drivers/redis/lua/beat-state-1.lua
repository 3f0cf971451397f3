-- Writes the baseline of a schedule never seen, and reads its state.
-- KEYS: state. ARGV: baseline. Returns {handled, lastRun, paused}.
redis.call('HSETNX', KEYS[1], 'handled', ARGV[1])
return redis.call('HMGET', KEYS[1], 'handled', 'lastRun', 'paused')
