import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  createHeadlessProcess,
  HeadlessProcessOptions,
} from '../logging/headless-process';
import { WorkerOptions } from '../options/module-options';
import { TaskWorkerService } from './task-worker.service';
import { createContext } from '../logging/create-context';
import { isPoolChild } from '../options/pool-options';
import { servePoolChild } from './pool/serve-pool-child';

/** Options of `bootstrapWorker`: the worker's (queues, concurrency, nodeName...) and the process's (logging, monitoring port). */
export interface BootstrapWorkerOptions
  extends WorkerOptions, HeadlessProcessOptions {}

/**
 * Boots `module` as a worker: the same DI container as the web app, without HTTP
 * (`NestFactory.createApplicationContext`), consuming `queues` with at most
 * `concurrency` tasks at once. SIGTERM/SIGINT: stop fetching, finish running tasks up
 * to `shutdownTimeout`, give back the rest, close connections. A second signal exits at
 * once; what was running is redelivered by the broker.
 *
 * With `pool` (or tasks marked `isolate: 'process'`) the pool's children run this same
 * script: there, `bootstrapWorker` boots the module and serves the worker's tasks
 * instead of consuming (see docs/isolation.md).
 */
export async function bootstrapWorker(
  module: Parameters<typeof NestFactory.createApplicationContext>[0],
  options: BootstrapWorkerOptions = {},
): Promise<INestApplicationContext> {
  const { logger, logFormat, metricsPort, ...workerOptions } = options;
  if (isPoolChild()) {
    const child = await createContext(module, logger, logFormat);
    servePoolChild(child);
    return child;
  }
  const app = await createHeadlessProcess(module, {
    logger,
    logFormat,
    metricsPort,
  });
  await app.get(TaskWorkerService).start(workerOptions, true);
  return app;
}
