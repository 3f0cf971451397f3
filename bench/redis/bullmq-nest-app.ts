import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BullModule, Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job, Worker } from 'bullmq';
import { bullConnection } from './bullmq-side';
import { BenchPlace } from './names';

/**
 * BullMQ as a Nest team runs it: @nestjs/bullmq's BullModule and a WorkerHost in a Nest
 * application context. The worker is built with `autorun: false`; the caller runs it.
 */
export async function openBullInNest(
  place: BenchPlace,
  concurrency: number,
  onJob: (job: Job) => void,
): Promise<{ worker: Worker; close: () => Promise<void> }> {
  @Processor(place.queue, { concurrency, autorun: false })
  class BenchProcessor extends WorkerHost {
    process(job: Job): Promise<void> {
      onJob(job);
      return Promise.resolve();
    }
  }

  @Module({})
  class BullBenchModule {
    static register(): DynamicModule {
      return {
        module: BullBenchModule,
        imports: [
          BullModule.forRoot({
            connection: bullConnection(place),
            prefix: place.bullPrefix,
          }),
          BullModule.registerQueue({ name: place.queue }),
        ],
        providers: [BenchProcessor],
      };
    }
  }

  const app = await NestFactory.createApplicationContext(
    BullBenchModule.register(),
    { logger: false },
  );
  await app.init();
  const worker = app.get(BenchProcessor).worker;
  await worker.waitUntilReady();
  return { worker, close: () => app.close() };
}
