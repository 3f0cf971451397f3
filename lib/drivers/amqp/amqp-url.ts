import type { Options } from 'amqplib';

/** amqplib also reads `channelMax` from the object form; its types lack it. */
export type AmqpConnectFields = Options.Connect & { channelMax?: number };

/** An AMQP URL taken apart, ready for amqplib's `connect`. */
export interface AmqpTarget {
  connect: AmqpConnectFields;
  /** The URL without its password, for logs and errors. */
  display: string;
}

/**
 * Parses `amqp://` and `amqps://` URLs the way kombu does: `amqp://user:pass@host:port/vhost`,
 * where an empty path and `//` both mean the vhost `/` (so Celery's `amqp://guest@localhost//`
 * works), and `?heartbeat=30`, `?frame_max=`, `?channel_max=` tune the connection.
 */
export function parseAmqpUrl(url: string, heartbeat?: number): AmqpTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`invalid AMQP URL ${JSON.stringify(url)}`);
  }
  const protocol = parsed.protocol.replace(/:$/, '');
  if (protocol !== 'amqp' && protocol !== 'amqps') {
    throw new Error(
      `unsupported AMQP URL scheme ${JSON.stringify(protocol)}: use amqp:// or amqps://`,
    );
  }
  const query = parsed.searchParams;
  const connect: AmqpConnectFields = {
    protocol,
    hostname: parsed.hostname.replace(/^\[|\]$/g, '') || 'localhost',
    port: parsed.port
      ? Number(parsed.port)
      : protocol === 'amqps'
        ? 5671
        : 5672,
    username: parsed.username ? decodeURIComponent(parsed.username) : 'guest',
    password: parsed.password ? decodeURIComponent(parsed.password) : 'guest',
    vhost: vhostOf(parsed.pathname),
    heartbeat: heartbeat ?? intParam(query, 'heartbeat'),
    frameMax: intParam(query, 'frame_max') ?? intParam(query, 'frameMax'),
    channelMax: intParam(query, 'channel_max') ?? intParam(query, 'channelMax'),
  };
  const vhost =
    connect.vhost === '/' ? '' : encodeURIComponent(connect.vhost ?? '');
  const display = `${protocol}://${connect.username}@${connect.hostname}:${connect.port}/${vhost}`;
  return { connect, display };
}

function vhostOf(pathname: string): string {
  const path = pathname.startsWith('/') ? pathname.slice(1) : pathname;
  return path === '' ? '/' : decodeURIComponent(path);
}

function intParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    throw new Error(
      `AMQP URL parameter ${name}=${value} is not a whole number`,
    );
  }
  return number;
}
