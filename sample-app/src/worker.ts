import { bootstrapWorker } from '../../lib';
import { loadConfig } from './config';
import { SAMPLE_QUEUES } from './task-queue.config';
import { WorkerModule } from './worker.module';

/** `npx nest start worker`: the sample's worker, no HTTP. */
async function main(): Promise<void> {
  const config = loadConfig();
  await bootstrapWorker(WorkerModule.register(config), {
    queues: process.env.WORKER_QUEUES?.split(',') ?? SAMPLE_QUEUES,
    concurrency: Number(process.env.WORKER_CONCURRENCY ?? 10),
  });
}

void main();
