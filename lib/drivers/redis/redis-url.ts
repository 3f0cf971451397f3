import type { RedisOptions } from 'ioredis';
import { RedisSentinelOptions } from '../../common/redis-sentinel-options';
import { TlsOptions } from '../../common/tls-options';
import { tlsConnectOptions } from '../tls/tls-connect-options';

/**
 * Connection settings read from a `redis://` or `rediss://` URL, in ioredis' terms:
 * `redis://[[user]:password@]host[:port][/db]`. `rediss://` turns TLS on, with the
 * server's certificate checked; `tls` (the app's options) wins over Celery's URL
 * parameters `ssl_ca_certs`, `ssl_certfile`, `ssl_keyfile` and `ssl_cert_reqs`
 * (`required`, `optional` or `none`, which alone skips the check). A `sentinel://` URL
 * goes to parseSentinelUrl, with `sentinel` and `tls`.
 */
export function parseRedisUrl(
  url: string,
  sentinel?: RedisSentinelOptions,
  tls?: TlsOptions,
): RedisOptions {
  if (isSentinelUrl(url)) return parseSentinelUrl(url, sentinel, tls);
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

const SENTINEL_TLS_SOURCE = {
  ca: 'sentinel.tls.ca',
  cert: 'sentinel.tls.cert',
  key: 'sentinel.tls.key',
  servername: 'sentinel.tls.servername',
  rejectUnauthorized: 'sentinel.tls.rejectUnauthorized',
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

/** The URL schemes of Redis: a server, with TLS, or found through Sentinel. */
export const REDIS_SCHEMES: readonly string[] = [
  'redis',
  'rediss',
  'sentinel',
  'redis+sentinel',
];

function isSentinelUrl(url: string): boolean {
  return /^(redis\+)?sentinel:\/\//i.test(url);
}

/**
 * kombu's Sentinel URL: `sentinel://[user:password@]host[:port][/db]`, one per
 * sentinel joined by `;` (`sentinel://s1:26379;sentinel://s2:26379`), port 26379 by
 * default; `redis+sentinel://` is taken as the same. The user, password and db are
 * the master's, from the first part that has them. kombu takes the master name from
 * the transport option `master_name`: here `?master_name=` on the URL (so the tick
 * lock and the rate limiter, which get only a URL, know it too) or the option
 * `sentinel.masterName`; `?sentinel_password=` or `sentinel.password` for the
 * sentinels' own password.
 *
 * TLS, as kombu splits it: `tls` for the master and replicas the sentinels name (kombu's
 * `broker_use_ssl`; ioredis' `tls` with `enableTLSForSentinelMode`), `sentinel.tls` for
 * the sentinels themselves (kombu's `sentinel_kwargs`; ioredis' `sentinelTLS`). Each
 * certificate is checked against the address it is reached at, unless `servername`.
 */
export function parseSentinelUrl(
  url: string,
  sentinel: RedisSentinelOptions = {},
  tls?: TlsOptions,
): RedisOptions {
  const options: RedisOptions = { sentinels: [], db: 0 };
  let masterName = sentinel.masterName;
  let sentinelPassword = sentinel.password;
  for (const part of url.split(';').map((text) => text.trim())) {
    if (part === '') continue;
    let parsed: URL;
    try {
      parsed = new URL(part.replace(/^(redis\+)?sentinel:/i, 'http:'));
    } catch {
      throw new Error(
        `invalid Redis Sentinel URL ${JSON.stringify(redact(url))}`,
      );
    }
    if (!isSentinelUrl(part))
      throw new Error(
        `invalid Redis Sentinel URL ${JSON.stringify(redact(url))}: every part joined by ";" is a sentinel:// URL`,
      );
    options.sentinels!.push({
      host: parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
      port: parsed.port ? Number(parsed.port) : 26379,
    });
    if (parsed.username && options.username === undefined)
      options.username = decodeURIComponent(parsed.username);
    if (parsed.password && options.password === undefined)
      options.password = decodeURIComponent(parsed.password);
    if (parsed.pathname.replace(/^\//, '') !== '')
      options.db = parseDb(parsed.pathname, url);
    masterName ??= parsed.searchParams.get('master_name') ?? undefined;
    sentinelPassword ??=
      parsed.searchParams.get('sentinel_password') ?? undefined;
  }
  if (options.sentinels!.length === 0)
    throw new Error(
      `Redis Sentinel URL ${JSON.stringify(redact(url))} names no sentinel`,
    );
  if (!masterName)
    throw new Error(
      `Redis Sentinel URL ${JSON.stringify(redact(url))} needs the master's name: ` +
        `add ?master_name=mymaster (kombu's transport option master_name) or set sentinel.masterName`,
    );
  options.name = masterName;
  if (sentinelPassword) options.sentinelPassword = sentinelPassword;
  if (tls !== undefined) {
    options.tls = tlsConnectOptions(tls, undefined, TLS_SOURCE);
    options.enableTLSForSentinelMode = true;
  }
  if (sentinel.tls !== undefined)
    options.sentinelTLS = tlsConnectOptions(
      sentinel.tls,
      undefined,
      SENTINEL_TLS_SOURCE,
    );
  return options;
}

/** `host:port/db` for logs and errors: never the password. */
export function describeRedis(options: RedisOptions): string {
  if (options.sentinels && options.sentinels.length > 0)
    return `sentinel ${options.name ?? '?'} (${options.sentinels
      .map((node) => `${node.host ?? '127.0.0.1'}:${node.port ?? 26379}`)
      .join(',')})/${options.db ?? 0}`;
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
