import { tlsRefusal } from '../tls/tls-refusal';

/**
 * Why RabbitMQ refused a connection for good, or undefined for an error a reconnect may
 * fix. amqplib reports a refused login as `Handshake terminated by server: 403
 * (ACCESS-REFUSED)`, and an unknown vhost only as `Expected ConnectionOpenOk; got
 * <ConnectionClose ...>` (RabbitMQ's 530 NOT_ALLOWED). A TLS server certificate that
 * does not check out is one too.
 */
export function connectionRefusal(
  error: Error,
  vhost: string,
): string | undefined {
  const tls = tlsRefusal(error);
  if (tls !== undefined) return tls;
  const text = error.message;
  if (/ACCESS[-_]REFUSED/.test(text))
    return 'the user name or password is wrong, or the user may not log in (ACCESS_REFUSED)';
  if (
    /NOT[-_]ALLOWED/.test(text) ||
    /Expected ConnectionOpenOk; got <ConnectionClose/.test(text)
  )
    return `the vhost ${JSON.stringify(vhost)} does not exist, or the user has no access to it (NOT_ALLOWED)`;
  if (/SASL mechanism/.test(text))
    return 'the server does not offer the PLAIN login mechanism';
  return undefined;
}

/**
 * What went wrong with an AMQP connection, in Celeriac's words rather than amqplib's or
 * the socket's, with the code kept for searching.
 */
export function describeAmqpError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'RabbitMQ refuses connections: it is down or nothing listens on that port (ECONNREFUSED)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the RabbitMQ host name does not resolve (${code})`;
    case 'ETIMEDOUT':
      return 'connecting to RabbitMQ timed out (ETIMEDOUT)';
    case 'ECONNRESET':
    case 'EPIPE':
      return `RabbitMQ dropped the connection (${code})`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `the RabbitMQ host cannot be reached over the network (${code})`;
  }
  const text = error.message;
  if (/CONNECTION[-_]FORCED/.test(text))
    return 'RabbitMQ closed the connection (CONNECTION_FORCED: a restart, or an operator)';
  if (/Heartbeat timeout/i.test(text))
    return 'RabbitMQ stopped answering heartbeats (the network, or an overloaded broker)';
  if (/Socket closed abruptly|Unexpected close/i.test(text))
    return 'the connection to RabbitMQ closed unexpectedly';
  if (/timeout/i.test(text)) return 'connecting to RabbitMQ timed out';
  return `RabbitMQ reported an error: ${text}`;
}
