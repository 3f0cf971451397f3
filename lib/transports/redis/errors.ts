/**
 * A send rejected because Redis did not answer within `publishWaitMs` (10 s by default):
 * down, unreachable, or the connection dropped mid-command. The message says whether the
 * task was stored ("was not stored", or "may or may not have been stored"). An app can
 * answer 503 on `instanceof RedisUnavailableError`.
 */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}
