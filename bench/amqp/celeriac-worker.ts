/**
 * The Celeriac side of the bench, in a process of its own: a Nest worker running the
 * no-op task `bench.noop` (acks late, results by rpc://) on BENCH_QUEUE at
 * BENCH_CONCURRENCY. Prints `ready` once consuming; SIGTERM stops it.
 */
import { Injectable, Module } from '@nestjs/common';
import { Task, TaskQueueModule, bootstrapWorker } from '../../lib';
import { AMQP_BENCH_URL, NOOP_TASK, PREFETCH_MULTIPLIER } from './config';

@Injectable()
class NoopTasks {
  @Task({ name: NOOP_TASK, acksLate: true })
  noop(): void {}
}

@Module({
  imports: [
    TaskQueueModule.forRoot({
      broker: AMQP_BENCH_URL,
      backend: 'rpc://',
      worker: false,
    }),
  ],
  providers: [NoopTasks],
})
class BenchWorkerModule {}

async function main(): Promise<void> {
  const queue = process.env.BENCH_QUEUE ?? 'bench';
  await bootstrapWorker(BenchWorkerModule, {
    queues: [queue],
    concurrency: Number(process.env.BENCH_CONCURRENCY ?? 10),
    prefetchMultiplier: PREFETCH_MULTIPLIER,
    logger: ['error', 'warn'],
  });
  process.stdout.write('ready\n');
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
