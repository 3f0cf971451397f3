import { LUA_RESTORE_HELPERS } from './helpers';
import { RedisScript } from '../../../drivers/redis/script';

/**
 * Settlements. Each removes the delivery from kombu's `unacked`/`unacked_index` and
 * from our leases, and does nothing more when the tag was no longer there (its lease
 * ran out and it was restored to someone else: that holder settles it now).
 * Common KEYS: unacked, unacked_index, leases.
 */
const TAKE = `
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
`;

/** Acks a batch of deliveries. ARGV: tags. */
export const ackScript = new RedisScript(
  'ack',
  `
redis.call('HDEL', KEYS[1], unpack(ARGV))
redis.call('ZREM', KEYS[2], unpack(ARGV))
redis.call('ZREM', KEYS[3], unpack(ARGV))
return #ARGV
`,
);

/**
 * Gives a delivery back at the front of its list (RPUSH, where consumers pop),
 * marked redelivered. KEYS: +list, wake. ARGV: tag, envelope.
 */
export const requeueScript = new RedisScript(
  'requeue',
  `${LUA_RESTORE_HELPERS}${TAKE}
redis.call('RPUSH', KEYS[4], mark_redelivered(ARGV[2]))
redis.call('ZADD', KEYS[5], 0, '1')
return 1
`,
);

/** Moves a delivery to the delay store. KEYS: +delayed, wake. ARGV: tag, due ms, member. */
export const deferScript = new RedisScript(
  'defer',
  `${TAKE}
redis.call('ZADD', KEYS[4], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[5], 0, '1')
return 1
`,
);

/** Keeps a delivery in the queue's dead-letter list. KEYS: +dead. ARGV: tag, record. */
export const deadLetterScript = new RedisScript(
  'dead-letter',
  `${TAKE}
redis.call('LPUSH', KEYS[4], ARGV[2])
return 1
`,
);
