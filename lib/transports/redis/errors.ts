// Defined beside the Redis client helpers, which the result backend shares.
export { RedisUnavailableError } from '../../drivers/redis/errors';
