import type {
  AmqpConnectionOptions,
  AmqpLogger,
} from '../../common/amqp-connection-options';

export type { AmqpConnectionOptions, AmqpLogger };

export const DEFAULT_PUBLISH_TIMEOUT_MS = 10_000;

export const consoleLogger: AmqpLogger = {
  debug: () => undefined,
  warn: (message) => console.warn(`[celeriac amqp] ${message}`),
  error: (message) => console.error(`[celeriac amqp] ${message}`),
};
