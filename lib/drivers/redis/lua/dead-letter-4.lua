-- Keeps a delivery in its queue's dead-letter list.
-- KEYS: unacked, unacked_index, leases, dead. ARGV: tag, record (JSON).
-- @include take-delivery
redis.call('LPUSH', KEYS[4], ARGV[2])
return 1
