-- Puts an envelope in the queue's delay store until its due time, and wakes idle
-- consumers so they learn the new next due time.
-- KEYS: delayed, wake, binding. ARGV: due ms, bucket digit + envelope, binding member or ''.
if ARGV[3] ~= '' then redis.call('SADD', KEYS[3], ARGV[3]) end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], 0, '1')
return 1
