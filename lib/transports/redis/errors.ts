/** Rejections of publish when Redis is unavailable: the message says whether it was stored. */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}
