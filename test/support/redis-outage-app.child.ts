/**
 * An app with every Redis connection Celeriac opens (broker with its blocking, control and
 * event connections, result backend and subscriber, rate limiter, beat's tick lock), all
 * on the Redis of OUTAGE_REDIS_URL, for test/e2e/redis/redis-outage-errors.spec.ts. It
 * prints `ready` after a round trip and the library's warnings as they come; on SIGUSR2
 * it runs one more task, prints `result <n>`, and exits. Its stderr is what the test reads.
 */
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Periodic, Task, TaskClient, TaskQueueModule } from '../../lib';

@Injectable()
class OutageTasks {
  @Task({ name: 'outage.add', fleetRateLimit: '1000/s' })
  add(a: number, b: number): number {
    return a + b;
  }

  @Periodic({ every: '1s', name: 'outage.pulse' })
  pulse(): void {}
}

const url = process.env.OUTAGE_REDIS_URL!;
const queue = process.env.OUTAGE_QUEUE!;
const logger = {
  warn: (message: string) => console.log(`warn: ${message}`),
  error: (message: string) => console.log(`error: ${message}`),
};

@Module({
  imports: [
    TaskQueueModule.forRoot({
      broker: url,
      backend: url,
      rateLimitStore: url,
      defaultQueue: queue,
      worker: { queues: [queue], concurrency: 2 },
      events: true,
      beat: { lockUrl: url, keyPrefix: `${queue}:beat:` },
      brokerOptions: { publishWaitMs: 30_000, logger },
      backendOptions: { logger },
    }),
  ],
  providers: [OutageTasks],
})
class OutageAppModule {}

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(OutageAppModule, {
    logger: false,
  });
  const client = app.get(TaskClient);
  const first = await client.send<number>('outage.add', [1, 2]);
  console.log(`ready ${await first.get({ timeout: 30 })}`);
  process.once('SIGUSR2', () => {
    void (async () => {
      const again = await client.send<number>('outage.add', [2, 3]);
      console.log(`result ${await again.get({ timeout: 30 })}`);
      await app.close();
      process.exit(0);
    })();
  });
}

main().catch((error: unknown) => {
  console.log(`failed: ${String(error)}`);
  process.exit(1);
});
