import { Logger } from '@nestjs/common';
import { MemoryResultBackend } from '../results/memory/memory-result-backend';
import { RedisResultBackend } from '../results/redis/redis-result-backend';
import { RpcResultBackend } from '../results/rpc/rpc-result-backend';
import { ResultBackend } from '../results/result-backend';
import { AmqpTransport } from '../transports/amqp';
import { MemoryTransport } from '../transports/memory';
import { RedisTransport } from '../transports/redis';
import { Transport } from '../transports/transport';
import { ResolvedOptions } from '../options/resolve-options';
import {
  AmqpBrokerOptions,
  RedisBackendOptions,
  RedisBrokerOptions,
  RpcBackendOptions,
} from '../options/connection-options';

/** The one place where a URL scheme picks a concrete broker. */
export function createTransport(options: ResolvedOptions): Transport {
  const scheme = schemeOf(options.broker, 'broker');
  switch (scheme) {
    case 'memory':
      return MemoryTransport.fromUrl(options.broker);
    case 'redis':
    case 'rediss':
      return RedisTransport.fromUrl(options.broker, {
        logger: new Logger('RedisTransport'),
        ...(options.brokerOptions as RedisBrokerOptions),
      });
    case 'amqp':
    case 'amqps':
      return AmqpTransport.fromUrl(options.broker, {
        logger: new Logger('AmqpTransport'),
        ...(options.brokerOptions as AmqpBrokerOptions),
      });
    default:
      throw new Error(
        `broker ${redact(options.broker)}: the scheme "${scheme}:" is not supported ` +
          `(use memory://, redis://, rediss://, amqp:// or amqps://)`,
      );
  }
}

/** The one place where a URL scheme picks a concrete result backend. */
export async function createResultBackend(
  options: ResolvedOptions,
  transport: Transport,
): Promise<ResultBackend> {
  const scheme = schemeOf(options.backend, 'backend');
  switch (scheme) {
    case 'memory':
      return MemoryResultBackend.fromUrl(
        options.backend,
        options.resultExpiresSeconds,
      );
    case 'redis':
    case 'rediss':
      return RedisResultBackend.fromUrl(options.backend, {
        expiresIn: options.resultExpiresSeconds,
        logger: new Logger('RedisResultBackend'),
        ...(options.backendOptions as RedisBackendOptions),
      });
    case 'rpc':
      return connectRpcBackend(options, transport);
    default:
      throw new Error(
        `result backend ${redact(options.backend)}: the scheme "${scheme}:" is not supported ` +
          `(use memory://, redis://, rediss:// or rpc://)`,
      );
  }
}

/**
 * `rpc://` replies travel on the AMQP broker's own connection; the reply queue is
 * declared now, before anything is sent, or an early reply would have nowhere to go.
 */
async function connectRpcBackend(
  options: ResolvedOptions,
  transport: Transport,
): Promise<ResultBackend> {
  if (!(transport instanceof AmqpTransport)) {
    throw new Error(
      `result backend rpc:// needs an AMQP broker (amqp:// or amqps://), not ${redact(options.broker)}`,
    );
  }
  const backend = new RpcResultBackend(transport.connection, {
    expiresIn: options.resultExpiresSeconds,
    logger: new Logger('RpcResultBackend'),
    ...(options.backendOptions as RpcBackendOptions),
  });
  await backend.connect();
  return backend;
}

function schemeOf(url: string, what: string): string {
  const match = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (!match)
    throw new Error(
      `${what} URL ${JSON.stringify(redact(url))} has no scheme (like redis://)`,
    );
  return match[1].toLowerCase();
}

/** The URL without its password, for error messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}
