/**
 * A Celeriac worker in its own process, for the one-queue test (the test SIGKILLs it).
 * It registers `interop.mark`, the task the Celery app registers too, which records
 * each run the same way: `RPUSH <prefix><run>:started "<task id> <worker name>"` when
 * it starts, then `RPUSH <prefix><run>:log "<task id> <worker name>"` and
 * `SADD <prefix><run>:done <task id>` when it is done. Records go to the Redis at
 * REDIS_URL; the broker is BROKER_URL (default REDIS_URL: Redis) or RabbitMQ.
 * Configured from the environment; prints `ready` once it consumes.
 */
import { Inject, Injectable, Module, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import {
  Task,
  TaskContext,
  TaskQueueModule,
  bootstrapWorker,
} from '../../../lib';

const env = process.env;
const prefix = env.KEY_PREFIX ?? '';
const STORE = Symbol('store');

@Injectable()
class MarkTasks implements OnModuleDestroy {
  constructor(
    private readonly taskContext: TaskContext,
    @Inject(STORE) private readonly store: Redis,
  ) {}

  @Task({ name: 'interop.mark', acksLate: true })
  async mark(run: string, pauseMs = 0): Promise<string> {
    const { id } = this.taskContext.current;
    // Recorded before the pause, as the Python task does: the test freezes a worker
    // and looks for what it started and did not finish.
    await this.store.rpush(
      `${prefix}${run}:started`,
      `${id} ${env.WORKER_NAME}`,
    );
    if (pauseMs > 0)
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    await this.store
      .multi()
      .rpush(`${prefix}${run}:log`, `${id} ${env.WORKER_NAME}`)
      .sadd(`${prefix}${run}:done`, id)
      .exec();
    return 'nest';
  }

  onModuleDestroy(): void {
    this.store.disconnect();
  }
}

@Module({
  imports: [
    TaskQueueModule.forRoot({
      broker: env.BROKER_URL ?? env.REDIS_URL,
      backend: env.RESULTS_URL,
      brokerOptions: /^amqps?:/.test(env.BROKER_URL ?? '')
        ? { delayPrefix: env.DELAY_PREFIX }
        : {
            keyPrefix: prefix,
            leaseMs: Number(env.LEASE_MS ?? 30_000),
            renewIntervalMs: Number(env.RENEW_INTERVAL_MS ?? 10_000),
            sweepIntervalMs: Number(env.SWEEP_INTERVAL_MS ?? 1000),
            visibilityTimeout: Number(env.VISIBILITY_TIMEOUT ?? 3600),
          },
    }),
  ],
  providers: [
    MarkTasks,
    { provide: STORE, useFactory: () => new Redis(env.REDIS_URL ?? '') },
  ],
})
class WorkerModule {}

/** Exits when the test process is gone, so a crashed test run leaves no worker behind. */
function exitWithParent(): void {
  const parent = Number(env.PARENT_PID ?? 0);
  if (!parent) return;
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.exit(3);
    }
  }, 1000).unref();
}

async function main(): Promise<void> {
  exitWithParent();
  await bootstrapWorker(WorkerModule, {
    queues: [env.QUEUE ?? 'celery'],
    concurrency: Number(env.CONCURRENCY ?? 4),
    logger: ['error', 'warn'],
  });
  console.log('ready');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
