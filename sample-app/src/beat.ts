import { bootstrapBeat } from '../../lib';
import { loadConfig } from './config';
import { WorkerModule } from './worker.module';

/**
 * `npx nest start beat`: enqueues the @Periodic tasks (reports.hourly). Run as many as
 * you like: each tick is sent once across all of them. On RabbitMQ set BEAT_LOCK_URL
 * to a Redis URL (the tick lock lives there).
 */
async function main(): Promise<void> {
  await bootstrapBeat(WorkerModule.register(loadConfig()), {
    lockUrl: process.env.BEAT_LOCK_URL,
  });
}

void main();
