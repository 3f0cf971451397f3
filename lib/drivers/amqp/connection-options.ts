import { TlsOptions } from '../../common/tls-options';

/** Where the AMQP classes report what they do; `console` by default. */
export interface AmqpLogger {
  debug(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** How to reach RabbitMQ and how to come back after losing it. */
export interface AmqpConnectionOptions {
  /** Heartbeat in seconds; `?heartbeat=30` in the URL does the same. Default: the server's (60). */
  heartbeat?: number;
  /** Shown by `rabbitmqctl list_connections client_properties` and the management UI. */
  connectionName?: string;
  /** TLS of an `amqps://` URL: the CA, a client certificate, the server name. */
  tls?: TlsOptions;
  /** Passed to net/tls `connect` as they are, after `tls`. */
  socketOptions?: Record<string, unknown>;
  /** First wait before reconnecting, in ms; doubles on each failure. Default 100. */
  reconnectMinMs?: number;
  /** Longest wait between reconnection attempts, in ms. Default 5000. */
  reconnectMaxMs?: number;
  logger?: AmqpLogger;
}

export const DEFAULT_PUBLISH_TIMEOUT_MS = 10_000;

export const consoleLogger: AmqpLogger = {
  debug: () => undefined,
  warn: (message) => console.warn(`[celeriac amqp] ${message}`),
  error: (message) => console.error(`[celeriac amqp] ${message}`),
};
