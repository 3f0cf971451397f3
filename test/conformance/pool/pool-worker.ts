/**
 * A worker process with a pool, for the pool suite: `bootstrapWorker` on PoolAppModule
 * with the config in POOL_CONFIG and the worker options in POOL_WORKER (JSON). The
 * pool's children run this same script (and there serve tasks).
 */
import { bootstrapWorker } from '../../../lib';
import { PoolAppModule, PoolConfig } from './pool-app';

async function main(): Promise<void> {
  const config = JSON.parse(process.env.POOL_CONFIG!) as PoolConfig;
  const worker = JSON.parse(process.env.POOL_WORKER ?? '{}') as object;
  await bootstrapWorker(PoolAppModule.register(config), {
    queues: [config.queue],
    ...worker,
    logger: ['log', 'warn', 'error'],
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
