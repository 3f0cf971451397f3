-- Moves a delivery to the delay store.
-- KEYS: unacked, unacked_index, leases, delayed, wake. ARGV: tag, due ms, member.
-- @include take-delivery
redis.call('ZADD', KEYS[4], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[5], 0, '1')
return 1
