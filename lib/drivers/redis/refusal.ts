import type Redis from 'ioredis';
import { RedisConfigurationError } from './errors';
import { tlsRefusal } from '../tls/tls-refusal';

const refusals = new WeakMap<Redis, RedisConfigurationError>();

/**
 * Why Redis refused the connection for good, or undefined for an error a reconnect may
 * fix (the server down, a timeout). ioredis goes on after a failed SELECT, in db 0, and
 * retries a failed AUTH forever: both are configuration errors, as is a TLS server
 * certificate that does not check out.
 */
export function refusalReason(error: Error, db: number): string | undefined {
  const tls = tlsRefusal(error);
  if (tls !== undefined) return tls;
  const text = error.message;
  if (/DB index is out of range/i.test(text))
    return `it has no db ${db} (SELECT ${db} failed: the server's "databases" setting is lower)`;
  if (/WRONGPASS|invalid password|invalid username-password/i.test(text))
    return 'the user name or password is wrong';
  if (/NOAUTH/.test(text))
    return 'it requires a password and the URL gives none';
  return undefined;
}

/**
 * Closes `client` for good at the first refusal (see refusalReason), before any command
 * queued meanwhile is sent, and remembers why: `refusalOf(client)`. Install it before
 * any other 'error' listener, and on each connection (`duplicate()` copies no listener).
 */
export function guardConfiguration(
  client: Redis,
  where: string,
  onRefused?: (refusal: RedisConfigurationError) => void,
): void {
  client.on('error', (error: Error) => {
    if (refusals.has(client)) return;
    const reason = refusalReason(error, client.options.db ?? 0);
    if (reason === undefined) return;
    const refusal = new RedisConfigurationError(
      `Redis at ${where} refused the connection: ${reason}. Nothing is sent to it; fix the URL and restart`,
    );
    refusals.set(client, refusal);
    client.disconnect();
    onRefused?.(refusal);
  });
}

/** The refusal that closed `client`, if one did. */
export function refusalOf(client: Redis): RedisConfigurationError | undefined {
  return refusals.get(client);
}

/** `error`, or the refusal behind it when the connection was closed for one. */
export function explainFailure(client: Redis, error: unknown): Error {
  return (
    refusalOf(client) ??
    (error instanceof Error ? error : new Error(String(error)))
  );
}
