import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  createHeadlessProcess,
  HeadlessProcessOptions,
} from '../logging/headless-process';
import { WorkerOptions } from '../options/module-options';
import { TaskWorkerService } from './task-worker.service';

export interface BootstrapWorkerOptions
  extends WorkerOptions, HeadlessProcessOptions {}

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
  const app = await createHeadlessProcess(module, {
    logger,
    logFormat,
    metricsPort,
  });
  await app.get(TaskWorkerService).start(workerOptions, true);
  return app;
}
