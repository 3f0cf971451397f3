import { Logger } from '@nestjs/common';
import { urlScheme } from '../common/url-scheme';
import { AmqpUnavailableError } from '../drivers/amqp/errors';
import { MemoryResultBackend } from '../results/memory/memory-result-backend';
import { RedisResultBackend } from '../results/redis/redis-result-backend';
import { RpcResultBackend } from '../results/rpc/rpc-result-backend';
import { PostgresResultBackend } from '../results/postgres/postgres-result-backend';
import { ResultBackend } from '../results/result-backend';
import { AmqpTransport } from '../transports/amqp';
import { MemoryTransport } from '../transports/memory';
import { RedisTransport } from '../transports/redis';
import { Transport } from '../transports/transport';
import { ResolvedOptions } from '../options/resolve-options';
import {
  AmqpBrokerOptions,
  PostgresBackendOptions,
  RedisBackendOptions,
  RedisBrokerOptions,
  RpcBackendOptions,
} from '../options/connection-options';

/** The one place where a URL scheme picks a concrete broker (or the app gave its own). */
export function createTransport(options: ResolvedOptions): Transport {
  if (options.transport) return options.transport;
  const url = urlOf(options.broker);
  const scheme = schemeOf(url, 'broker');
  switch (scheme) {
    case 'memory':
      return MemoryTransport.fromUrl(url);
    case 'redis':
    case 'rediss':
    case 'sentinel':
    case 'redis+sentinel':
      return RedisTransport.fromUrl(url, {
        logger: new Logger('RedisTransport'),
        ...(options.brokerOptions as RedisBrokerOptions),
      });
    case 'amqp':
    case 'amqps':
      return AmqpTransport.fromUrl(url, {
        logger: new Logger('AmqpTransport'),
        ...(options.brokerOptions as AmqpBrokerOptions),
      });
    default:
      throw new Error(
        `broker ${redact(url)}: the scheme "${scheme}:" is not supported ` +
          `(use memory://, redis://, rediss://, sentinel://, amqp:// or amqps://)`,
      );
  }
}

/** The one place where a URL scheme picks a concrete result backend (or the app gave its own). */
export async function createResultBackend(
  options: ResolvedOptions,
  transport: Transport,
): Promise<ResultBackend> {
  if (options.resultBackend) return options.resultBackend;
  const url = urlOf(options.backend);
  const scheme = schemeOf(url, 'backend');
  switch (scheme) {
    case 'memory':
      return MemoryResultBackend.fromUrl(url, options.resultExpiresSeconds);
    case 'redis':
    case 'rediss':
    case 'sentinel':
    case 'redis+sentinel':
      return RedisResultBackend.fromUrl(url, {
        expiresIn: options.resultExpiresSeconds,
        logger: new Logger('RedisResultBackend'),
        ...(options.backendOptions as RedisBackendOptions),
      });
    case 'rpc':
      return connectRpcBackend(options, transport);
    case 'db+postgresql':
    case 'db+postgres':
    case 'db+postgresql+psycopg2':
      return PostgresResultBackend.fromUrl(url, {
        logger: new Logger('PostgresResultBackend'),
        ...(options.backendOptions as PostgresBackendOptions),
      });
    default:
      throw new Error(
        `result backend ${redact(url)}: the scheme "${scheme}:" is not supported ` +
          `(use memory://, redis://, rediss://, sentinel://, rpc:// or db+postgresql://)`,
      );
  }
}

/**
 * `rpc://` replies travel on the AMQP broker's own connection; the reply queue is
 * declared now, before anything is sent, or an early reply would have nowhere to go.
 * With `failFast`, the declaration waits for the broker no longer than its timeout.
 */
async function connectRpcBackend(
  options: ResolvedOptions,
  transport: Transport,
): Promise<ResultBackend> {
  if (!(transport instanceof AmqpTransport)) {
    throw new Error(
      `result backend rpc:// needs an AMQP broker (amqp:// or amqps://), not ${describeBroker(options)}`,
    );
  }
  const backend = new RpcResultBackend(transport.connection, {
    expiresIn: options.resultExpiresSeconds,
    logger: new Logger('RpcResultBackend'),
    ...(options.backendOptions as RpcBackendOptions),
  });
  const waitMs = options.failFastMs ?? undefined;
  await backend.connect(waitMs).catch((error: unknown) => {
    if (waitMs !== undefined && error instanceof AmqpUnavailableError)
      throw new AmqpUnavailableError(
        `rpc:// result backend: ${error.message}; failFast stops the boot`,
      );
    throw error;
  });
  return backend;
}

/** The URL resolveOptions left when no instance was given. */
function urlOf(url: string | null): string {
  if (url === null)
    throw new Error('no URL and no instance: resolveOptions sets one');
  return url;
}

/** The broker for messages: its URL without the password, or the app's transport's kind. */
export function describeBroker(options: ResolvedOptions): string {
  return options.broker === null
    ? `the app's own ${options.transport?.kind ?? ''} transport`
    : redact(options.broker);
}

function schemeOf(url: string, what: string): string {
  const scheme = urlScheme(url);
  if (scheme === undefined)
    throw new Error(
      `${what} URL ${JSON.stringify(redact(url))} has no scheme (like redis://)`,
    );
  return scheme;
}

/** The URL without its password, for error messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}
