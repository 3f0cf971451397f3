import type { RedisOptions } from 'ioredis';
import { TlsOptions } from '../../common/tls-options';
import { tlsConnectOptions } from '../tls/tls-connect-options';

/**
 * Connection settings read from a `redis://` or `rediss://` URL, in ioredis' terms:
 * `redis://[[user]:password@]host[:port][/db]`. `rediss://` turns TLS on, with the
 * server's certificate checked; `tls` (the app's options) wins over Celery's URL
 * parameters `ssl_ca_certs`, `ssl_certfile`, `ssl_keyfile` and `ssl_cert_reqs`
 * (`required`, `optional` or `none`, which alone skips the check).
 */
export function parseRedisUrl(url: string, tls?: TlsOptions): RedisOptions {
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
    options.tls = tlsConnectOptions(
      { ...tlsFromQuery(parsed.searchParams, url), ...tls },
      options.host ?? '127.0.0.1',
      TLS_SOURCE,
    );
  } else if (tls !== undefined) {
    throw new Error(
      `TLS options are given for ${JSON.stringify(redact(url))}, a URL without TLS: use rediss://`,
    );
  }
  return options;
}

const TLS_SOURCE = {
  ca: 'tls.ca (or ?ssl_ca_certs=)',
  cert: 'tls.cert (or ?ssl_certfile=)',
  key: 'tls.key (or ?ssl_keyfile=)',
  servername: 'tls.servername',
  rejectUnauthorized: 'tls.rejectUnauthorized (or ?ssl_cert_reqs=)',
};

/** Celery's `rediss://` URL parameters; the names of Python's ssl module. */
function tlsFromQuery(query: URLSearchParams, url: string): TlsOptions {
  const tls: TlsOptions = {};
  const ca = query.get('ssl_ca_certs');
  const cert = query.get('ssl_certfile');
  const key = query.get('ssl_keyfile');
  if (ca) tls.ca = ca;
  if (cert) tls.cert = cert;
  if (key) tls.key = key;
  const certReqs = query.get('ssl_cert_reqs');
  if (certReqs !== null) {
    const level = certReqs.toLowerCase().replace(/^cert_/, '');
    if (level === 'none') tls.rejectUnauthorized = false;
    else if (level !== 'required' && level !== 'optional')
      throw new Error(
        `invalid Redis URL ${JSON.stringify(redact(url))}: ssl_cert_reqs must be required, optional or none (CERT_REQUIRED, CERT_OPTIONAL, CERT_NONE)`,
      );
  }
  return tls;
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
