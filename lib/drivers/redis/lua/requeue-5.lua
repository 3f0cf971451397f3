-- Gives a delivery back at the front of its list (RPUSH, where consumers pop),
-- marked redelivered. KEYS: unacked, unacked_index, leases, list, wake. ARGV: tag, envelope.
-- @include restore
-- @include take-delivery
redis.call('RPUSH', KEYS[4], mark_redelivered(ARGV[2]))
redis.call('ZADD', KEYS[5], 0, '1')
return 1
