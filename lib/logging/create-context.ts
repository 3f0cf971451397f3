import {
  INestApplicationContext,
  LoggerService,
  LogLevel,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JsonLogger } from './json-logger';

type Logging =
  | LoggerService
  | LogLevel[]
  | false
  | ((app: INestApplicationContext) => LoggerService)
  | undefined;

/**
 * `NestFactory.createApplicationContext` with the logging a worker or beat process was
 * asked for: Nest's default, a logger given, one taken from the app (buffered until
 * then), or JSON lines.
 */
export async function createContext(
  module: Parameters<typeof NestFactory.createApplicationContext>[0],
  logger: Logging,
  format: 'text' | 'json' | undefined,
): Promise<INestApplicationContext> {
  if (format === 'json') {
    if (logger !== undefined && !Array.isArray(logger))
      throw new Error(
        "give either logger or logFormat: 'json' (which is Celeriac's JsonLogger), not both",
      );
    return NestFactory.createApplicationContext(module, {
      logger: new JsonLogger(logger ? { levels: logger } : {}),
    });
  }
  if (typeof logger === 'function') {
    const app = await NestFactory.createApplicationContext(module, {
      bufferLogs: true,
    });
    app.useLogger(logger(app));
    app.flushLogs();
    return app;
  }
  return NestFactory.createApplicationContext(
    module,
    logger === undefined ? {} : { logger },
  );
}
