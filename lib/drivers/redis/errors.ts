/**
 * A send rejected because Redis did not answer within `publishWaitMs` (10 s by default):
 * down, unreachable, or the connection dropped mid-command. The message says whether the
 * task was stored ("was not stored", or "may or may not have been stored"). An app can
 * answer 503 on `instanceof RedisUnavailableError`. With `failFast`, the boot fails with
 * it when Redis cannot be reached.
 */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}

/**
 * Redis refused the connection's configuration: a db number the server does not have,
 * a wrong user name or password, or a password missing. No reconnect can fix it, so
 * Celeriac closes that connection at once (nothing is written anywhere, never to db 0)
 * and every send, store or wait on it rejects with this error. Fix the URL and restart.
 */
export class RedisConfigurationError extends Error {
  override readonly name = 'RedisConfigurationError';
}
