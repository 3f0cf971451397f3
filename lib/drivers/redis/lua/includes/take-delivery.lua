-- The start of every settlement: removes the delivery ARGV[1] from kombu's
-- unacked/unacked_index (KEYS[1], KEYS[2]) and our leases (KEYS[3]). Does nothing more
-- when the tag was gone (its lease ran out and it was restored: that holder settles it).
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
