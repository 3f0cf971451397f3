import {
  INestApplicationContext,
  LoggerService,
  LogLevel,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MonitoringEndpoint } from '../options/observability-options';
import { MONITORING_ENDPOINT } from '../options/tokens';
import { createContext } from './create-context';

/** What a worker or beat process, which has no HTTP of its own, is started with. */
export interface HeadlessProcessOptions {
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
 * The application context of a worker or beat: the same DI container as the web app,
 * without HTTP, with the logging asked for, shutdown hooks on (SIGTERM/SIGINT), and
 * `/metrics` and `/health` served on `metricsPort` when given.
 */
export async function createHeadlessProcess(
  module: Parameters<typeof NestFactory.createApplicationContext>[0],
  { logger, logFormat, metricsPort }: HeadlessProcessOptions,
): Promise<INestApplicationContext> {
  const app = await createContext(module, logger, logFormat);
  app.enableShutdownHooks();
  if (metricsPort !== undefined)
    await app.get<MonitoringEndpoint>(MONITORING_ENDPOINT).listen(metricsPort);
  return app;
}
