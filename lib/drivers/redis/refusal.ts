import type Redis from 'ioredis';
import { RedisConfigurationError } from './errors';
import { tlsRefusal } from '../tls/tls-refusal';
import { quietConnector } from './close-connection';

const refusals = new WeakMap<Redis, RedisConfigurationError>();

/** Redis 6+ and Redis 5's answers to an AUTH when no password is set. */
const NO_PASSWORD_SET =
  /without any password configured|Client sent AUTH, but no password is set/;
/** The same error, as ioredis is handed it back (it would only warn about the first). */
const NO_PASSWORD_REFUSAL = 'AUTH refused: the server has no password set';

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
  if (text.startsWith(NO_PASSWORD_REFUSAL))
    return 'the URL gives a password and the server has none set (redis-py refuses this too); remove it from the URL, or set one on the server';
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
  const refuse = (error: Error): boolean => {
    if (refusals.has(client)) return true;
    const reason = refusalReason(error, client.options.db ?? 0);
    if (reason === undefined) return false;
    const refusal = new RedisConfigurationError(
      `Redis at ${where} refused the connection: ${reason}. Nothing is sent to it; fix the URL and restart`,
    );
    refusals.set(client, refusal);
    client.disconnect();
    // When the handshake this cut short fails, ioredis disconnects again after the
    // socket closed, arming a 2 s timer nothing clears: the client is done for good.
    quietConnector(client);
    onRefused?.(refusal);
    return true;
  };
  client.on('error', (error: Error) => void refuse(error));
  refuseAuthWithoutPassword(client);
}

/**
 * ioredis only prints a warning when the server has no password to check, and goes on
 * as the default user. Its AUTH at connect goes through `client.auth(..., callback)`:
 * the callback gets the error in other words, which ioredis treats as any failed AUTH
 * (an 'error' event, the connection closed), before any queued command is sent.
 */
function refuseAuthWithoutPassword(client: Redis): void {
  type Auth = (...args: unknown[]) => Promise<unknown>;
  const target = client as unknown as { auth: Auth };
  const auth = target.auth.bind(client);
  const authRefusingWithoutPassword = (...args: unknown[]) => {
    const callback = args[args.length - 1];
    if (typeof callback !== 'function') return auth(...args);
    return auth(...args.slice(0, -1), (error: Error | null, reply: unknown) => {
      // Not ioredis's words: it would only warn on them.
      const refused =
        error && NO_PASSWORD_SET.test(error.message)
          ? new Error(NO_PASSWORD_REFUSAL)
          : error;
      (callback as (error: Error | null, reply: unknown) => void)(
        refused,
        reply,
      );
    });
  };
  target.auth = authRefusingWithoutPassword;
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
