import type { RedisOptions } from 'ioredis';

/**
 * Connection settings read from a `redis://` or `rediss://` URL, in ioredis' terms:
 * `redis://[[user]:password@]host[:port][/db]`. `rediss://` turns TLS on; as with
 * Celery, `?ssl_cert_reqs=CERT_NONE` (or `none`) skips certificate verification.
 */
export function parseRedisUrl(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`invalid Redis URL ${JSON.stringify(redact(url))}`);
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (scheme !== 'redis' && scheme !== 'rediss') {
    throw new Error(
      `unsupported Redis URL scheme "${scheme}:" (expected redis:// or rediss://)`,
    );
  }
  const options: RedisOptions = {
    host: parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    db: parseDb(parsed.pathname, url),
  };
  if (parsed.username) options.username = decodeURIComponent(parsed.username);
  if (parsed.password) options.password = decodeURIComponent(parsed.password);
  if (scheme === 'rediss') {
    const certReqs = (
      parsed.searchParams.get('ssl_cert_reqs') ?? ''
    ).toLowerCase();
    const verify = certReqs !== 'none' && certReqs !== 'cert_none';
    options.tls = { servername: options.host, rejectUnauthorized: verify };
  }
  return options;
}

/** `host:port/db` for logs and errors: never the password. */
export function describeRedis(options: RedisOptions): string {
  return `${options.host ?? '127.0.0.1'}:${options.port ?? 6379}/${options.db ?? 0}`;
}

function parseDb(pathname: string, url: string): number {
  const text = pathname.replace(/^\//, '');
  if (text === '') return 0;
  if (!/^\d+$/.test(text)) {
    throw new Error(
      `invalid Redis URL ${JSON.stringify(redact(url))}: the path must be a db number`,
    );
  }
  return Number(text);
}

function redact(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}
