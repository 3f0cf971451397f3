/**
 * A consumer in a process of its own, for the SIGKILL test: it takes deliveries, says so
 * on stdout (`got <task id>`) and never settles them, like a worker killed mid-task.
 * Arguments: <amqp url> <queue> <prefetch>.
 */
import { AmqpTransport } from '../../lib/transports/amqp';

const [url, queue, prefetch] = process.argv.slice(2);
const quiet = {
  debug: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

async function main(): Promise<void> {
  const transport = AmqpTransport.fromUrl(url, { logger: quiet });
  await transport.consume(
    [queue],
    (delivery) =>
      process.stdout.write(`got ${String(delivery.message?.headers.id)}\n`),
    { prefetch: Number(prefetch) },
  );
  process.stdout.write('ready\n');
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
