import {
  INestApplicationContext,
  LoggerService,
  LogLevel,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createContext } from '../logging/create-context';
import { MonitoringEndpoint } from '../options/observability-options';
import { MONITORING_ENDPOINT } from '../options/tokens';
import { WorkerOptions } from '../options/module-options';
import { TaskWorkerService } from './task-worker.service';

export interface BootstrapWorkerOptions extends WorkerOptions {
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
 * Boots `module` as a worker: the same DI container as the web app, without HTTP
 * (`NestFactory.createApplicationContext`), consuming `queues` with at most
 * `concurrency` tasks at once. SIGTERM/SIGINT: stop fetching, finish running tasks up
 * to `shutdownTimeout`, give back the rest, close connections. A second signal exits at
 * once; what was running is redelivered by the broker.
 */
export async function bootstrapWorker(
  module: Parameters<typeof NestFactory.createApplicationContext>[0],
  options: BootstrapWorkerOptions = {},
): Promise<INestApplicationContext> {
  const { logger, logFormat, metricsPort, ...workerOptions } = options;
  const app = await createContext(module, logger, logFormat);
  app.enableShutdownHooks();
  if (metricsPort !== undefined)
    await app.get<MonitoringEndpoint>(MONITORING_ENDPOINT).listen(metricsPort);
  await app.get(TaskWorkerService).start(workerOptions, true);
  return app;
}
