/** The script the pool bench's children run: in a pool child, bootstrapWorker serves tasks. */
import { bootstrapWorker } from '../../lib';
import { PoolBenchModule } from './pool-bench-app';

void bootstrapWorker(PoolBenchModule, { logger: ['error'] });
