-- Acks a batch of deliveries. KEYS: unacked, unacked_index, leases. ARGV: tags.
redis.call('HDEL', KEYS[1], unpack(ARGV))
redis.call('ZREM', KEYS[2], unpack(ARGV))
redis.call('ZREM', KEYS[3], unpack(ARGV))
return #ARGV
