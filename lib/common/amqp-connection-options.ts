import { TlsOptions } from './tls-options';

/** Where the AMQP broker and `rpc://` backend report what they do; a Nest `Logger` fits (by hand: `console`). */
export interface AmqpLogger {
  debug(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** How to reach RabbitMQ and how to come back after losing it. */
export interface AmqpConnectionOptions {
  /** Heartbeat in seconds (`?heartbeat=30` in the URL does the same; this wins over it). Default: the server's (60). */
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
  /** Default: a Nest `Logger` in the module; console for a class built by hand. */
  logger?: AmqpLogger;
}
