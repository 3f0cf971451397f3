/**
 * A send (or dead-lettering, deferring) rejected because RabbitMQ could not be reached,
 * or did not confirm the message, within `publishTimeoutMs` (10 s by default), or its
 * channel kept dying under it. An app can answer 503 on `instanceof AmqpUnavailableError`.
 */
export class AmqpUnavailableError extends Error {
  override readonly name = 'AmqpUnavailableError';
}

/**
 * RabbitMQ refused the connection for good: a wrong user name or password
 * (ACCESS_REFUSED), or a vhost that does not exist or the user may not use
 * (NOT_ALLOWED). Celeriac stops reconnecting; every send rejects with this error.
 * Fix the URL (or the broker's users and vhosts) and restart.
 */
export class AmqpConfigurationError extends Error {
  override readonly name = 'AmqpConfigurationError';
}

/** The broker refused a declaration or a message (PRECONDITION_FAILED, basic.nack...). */
export class AmqpRefusedError extends Error {
  override readonly name = 'AmqpRefusedError';
}

/** A message published with `mandatory` reached no queue. */
export class AmqpUnroutableError extends Error {
  override readonly name = 'AmqpUnroutableError';
}

/**
 * True for errors the server raised by closing a channel on purpose (a soft error:
 * 403 ACCESS_REFUSED, 404 NOT_FOUND, 405 RESOURCE_LOCKED, 406 PRECONDITION_FAILED):
 * retrying the same operation cannot help.
 */
export function isServerRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && code >= 403 && code <= 406;
}
