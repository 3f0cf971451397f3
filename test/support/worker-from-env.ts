import { DynamicModule } from '@nestjs/common';
import { bootstrapWorker } from '../../lib';

/** Where a worker process a test starts finds its settings: two JSON environment variables. */
export interface WorkerEnvNames {
  /** The test's config (with its `queue`), given to `register`. */
  config: string;
  /** The worker options (pool, concurrency...), `{}` when unset. */
  worker: string;
}

/**
 * The body of a worker process a test starts (spawnTs): `bootstrapWorker` on the module
 * `register` makes of the config, consuming its queue, logging `Consuming ...` once it
 * consumes. A pool's children run the same script (and there serve tasks). A boot that
 * fails prints why and exits 1.
 */
export function bootWorkerFromEnv<Config extends { queue: string }>(
  register: (config: Config) => DynamicModule,
  names: WorkerEnvNames,
): void {
  const boot = async () => {
    const config = JSON.parse(process.env[names.config]!) as Config;
    const worker = JSON.parse(process.env[names.worker] ?? '{}') as object;
    await bootstrapWorker(register(config), {
      queues: [config.queue],
      ...worker,
      logger: ['log', 'warn', 'error'],
    });
  };
  boot().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
