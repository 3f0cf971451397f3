import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { TlsOptions } from '../../common/tls-options';

/** Where a TLS setting came from, for errors: `brokerOptions.tls` or a URL parameter. */
export type TlsSource = Record<keyof TlsOptions, string>;

/**
 * Node's `tls.connect` options for `host`: PEM text used as given, paths read now (a
 * file that cannot be read is an error naming the setting), the server's certificate
 * checked unless `rejectUnauthorized` is false, and the certificate's name checked
 * against `servername` or `host`. Without `host` (servers Sentinel names, several
 * sentinels) Node checks each certificate against the host it connects to.
 */
export function tlsConnectOptions(
  tls: TlsOptions,
  host: string | undefined,
  source: TlsSource,
): ConnectionOptions {
  const options: ConnectionOptions = {
    rejectUnauthorized: tls.rejectUnauthorized !== false,
  };
  // Without servername Node checks the certificate against the host; SNI takes no IP.
  const servername =
    tls.servername ?? (host === undefined || isIP(host) ? undefined : host);
  if (servername !== undefined) options.servername = servername;
  if (tls.ca !== undefined)
    options.ca = (Array.isArray(tls.ca) ? tls.ca : [tls.ca]).map((ca) =>
      pem(ca, source.ca),
    );
  if (tls.cert !== undefined) options.cert = pem(tls.cert, source.cert);
  if (tls.key !== undefined) options.key = pem(tls.key, source.key);
  if ((tls.cert === undefined) !== (tls.key === undefined))
    throw new Error(
      `TLS: ${source.cert} and ${source.key} go together (the client certificate and its key); one of them is missing`,
    );
  return options;
}

/** PEM text as given; anything else is a file path, read now. */
function pem(value: string, setting: string): string {
  if (value.includes('-----BEGIN ')) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch (error) {
    throw new Error(
      `TLS: ${setting} is neither PEM text nor a readable file: ${(error as Error).message}`,
    );
  }
}
