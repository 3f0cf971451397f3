import {
  INestApplicationContext,
  Logger,
  LoggerService,
  LogLevel,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createContext } from '../logging/create-context';
import { MonitoringEndpoint } from '../options/observability-options';
import { MONITORING_ENDPOINT } from '../options/tokens';
import { BeatOptions } from '../options/beat-options';
import { BeatService } from './beat.service';

export interface BootstrapBeatOptions extends Omit<BeatOptions, 'run'> {
  /**
   * Nest's logger option for the application context, or a function that picks the
   * logger from the app once it is created (nestjs-pino's `app => app.get(Logger)`,
   * nest-winston's): logs are buffered until then.
   */
  logger?:
    | LoggerService
    | LogLevel[]
    | false
    | ((app: INestApplicationContext) => LoggerService);
  /** 'json': one JSON object per line (Celeriac's JsonLogger). Default: Nest's text. */
  logFormat?: 'text' | 'json';
  /**
   * Serve `/metrics` (with the module option `metrics`) and `/health` on this port, for
   * a process without HTTP: Prometheus and Kubernetes probes reach it there.
   */
  metricsPort?: number;
}

/**
 * Boots `module` as a beat: the same DI container as the web app and the workers,
 * without HTTP (`NestFactory.createApplicationContext`), enqueueing the @Periodic
 * tasks and the schedules added at runtime. Run as many as you like: each tick is
 * enqueued once across all of them. `options` go over the module's `beat` option
 * (give `lockUrl` here when the broker is RabbitMQ). SIGTERM/SIGINT stop it cleanly.
 */
export async function bootstrapBeat(
  module: Parameters<typeof NestFactory.createApplicationContext>[0],
  options: BootstrapBeatOptions = {},
): Promise<INestApplicationContext> {
  const { logger, logFormat, metricsPort, ...beatOptions } = options;
  const app = await createContext(module, logger, logFormat);
  app.enableShutdownHooks();
  if (metricsPort !== undefined)
    await app.get<MonitoringEndpoint>(MONITORING_ENDPOINT).listen(metricsPort);
  const beat = app.get(BeatService);
  if (!beat.running) {
    await beat.start(beatOptions);
  } else if (Object.keys(beatOptions).length > 0) {
    new Logger('Beat').warn(
      'bootstrapBeat: beat already runs with the module option `beat`; the options given here are not used',
    );
  }
  return app;
}
