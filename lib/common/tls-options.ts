/**
 * TLS settings of a `rediss://` or `amqps://` connection (docs/redis.md, docs/rabbitmq.md:
 * TLS). Each certificate or key is PEM text or the path of a PEM file. The server's
 * certificate is always checked, against `ca` when given, else Node's trusted CAs.
 */
export interface TlsOptions {
  /** The CA (or CAs) that signed the server's certificate: PEM text or a file path. Default: Node's trusted CAs. */
  ca?: string | string[];
  /** The client certificate, for servers that ask for one (mutual TLS): PEM text or a file path. */
  cert?: string;
  /** The client certificate's private key: PEM text or a file path. */
  key?: string;
  /** The name the server's certificate must carry (and SNI sends). Default: the URL's host. */
  servername?: string;
  /**
   * `false` accepts ANY server certificate, so anyone on the network path can read and
   * change the traffic: UNSAFE, for a test bench only. Default true.
   */
  rejectUnauthorized?: boolean;
}
