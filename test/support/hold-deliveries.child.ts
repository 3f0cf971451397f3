/**
 * A consumer in a process of its own, for the SIGKILL tests: it takes deliveries from
 * QUEUE on BROKER_URL (redis:// or amqp://) and never settles them, like a worker
 * killed mid-task, printing `held <count> <task id>` for each. Environment: BROKER_URL,
 * QUEUE, PREFETCH (10); on Redis KEY_PREFIX ('') and LEASE_MS (30000).
 */
import { AmqpTransport } from '../../lib/transports/amqp';
import { RedisTransport } from '../../lib/transports/redis';
import { Transport } from '../../lib/transports/transport';

const quiet = {
  debug: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

function transportFor(url: string): Transport {
  if (/^rediss?:/.test(url))
    return RedisTransport.fromUrl(url, {
      keyPrefix: process.env.KEY_PREFIX ?? '',
      leaseMs: Number(process.env.LEASE_MS ?? 30_000),
      logger: quiet,
    });
  return AmqpTransport.fromUrl(url, { logger: quiet });
}

async function main(): Promise<void> {
  const url = process.env.BROKER_URL;
  const queue = process.env.QUEUE;
  if (!url || !queue) throw new Error('BROKER_URL and QUEUE are required');
  let held = 0;
  await transportFor(url).consume(
    [queue],
    (delivery) =>
      process.stdout.write(
        `held ${++held} ${String(delivery.message?.headers.id)}\n`,
      ),
    { prefetch: Number(process.env.PREFETCH ?? 10) },
  );
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
