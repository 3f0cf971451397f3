import { TlsOptions } from './tls-options';

/**
 * Where Redis Sentinel finds the master, beyond the sentinels of a `sentinel://` URL
 * (docs/redis.md, Sentinel): `brokerOptions.sentinel` and `backendOptions.sentinel`.
 */
export interface RedisSentinelOptions {
  /** The master's name in the sentinels' configuration (kombu's `master_name`). */
  masterName?: string;
  /** The sentinels' own password (`requirepass` in sentinel.conf), if any. */
  password?: string;
  /**
   * TLS to the sentinels (kombu's `sentinel_kwargs`, ioredis' `sentinelTLS`). TLS to the
   * master is the broker's or backend's own `tls`. Default: plain TCP to the sentinels.
   */
  tls?: TlsOptions;
}
