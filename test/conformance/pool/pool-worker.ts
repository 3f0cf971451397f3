/**
 * A worker process with a pool, for the pool suite: `bootstrapWorker` on PoolAppModule
 * with the config in POOL_CONFIG and the worker options in POOL_WORKER (JSON). The
 * pool's children run this same script (and there serve tasks).
 */
import { bootWorkerFromEnv } from '../../support/worker-from-env';
import { PoolAppModule, PoolConfig } from './pool-app';

bootWorkerFromEnv((config: PoolConfig) => PoolAppModule.register(config), {
  config: 'POOL_CONFIG',
  worker: 'POOL_WORKER',
});
