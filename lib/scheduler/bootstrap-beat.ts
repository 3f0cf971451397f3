import { INestApplicationContext, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  createHeadlessProcess,
  HeadlessProcessOptions,
} from '../logging/headless-process';
import { BeatOptions } from '../options/beat-options';
import { BeatService } from './beat.service';

/** Options of `bootstrapBeat`: the beat's (lockUrl...) over the module's `beat` option, and the process's (logging, monitoring port). */
export interface BootstrapBeatOptions
  extends Omit<BeatOptions, 'run'>, HeadlessProcessOptions {}

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
  const app = await createHeadlessProcess(module, {
    logger,
    logFormat,
    metricsPort,
  });
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
