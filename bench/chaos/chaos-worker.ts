/**
 * A chaos worker process: `bootstrapWorker` on ChaosAppModule, its config in
 * CHAOS_CONFIG and its worker options in CHAOS_WORKER (JSON).
 */
import { bootstrapWorker } from '../../lib';
import { ChaosAppModule, ChaosConfig } from './chaos-app';

async function main(): Promise<void> {
  const config = JSON.parse(process.env.CHAOS_CONFIG!) as ChaosConfig;
  const worker = JSON.parse(process.env.CHAOS_WORKER ?? '{}') as object;
  await bootstrapWorker(ChaosAppModule.register(config), {
    queues: [config.queue],
    ...worker,
    logger: ['log', 'error'],
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
