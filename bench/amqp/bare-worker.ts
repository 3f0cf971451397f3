/**
 * The ceiling, in a process of its own: a bare amqplib consumer on BENCH_QUEUE (prefetch
 * BENCH_CONCURRENCY × 4) that does what a worker must at the least: for each message,
 * publish a reply to its `reply_to` (confirmed, as Celeriac's rpc:// backend does), then
 * ack. No decoding, no task. Prints `ready` once consuming.
 */
import { connect } from 'amqplib';
import { AMQP_BENCH_URL, PREFETCH_MULTIPLIER } from './config';

const REPLY = Buffer.from('{"status":"SUCCESS","result":null}');

async function main(): Promise<void> {
  const queue = process.env.BENCH_QUEUE ?? 'bench';
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 10);
  const model = await connect(AMQP_BENCH_URL);
  const consumer = await model.createChannel();
  const publisher = await model.createConfirmChannel();
  await consumer.assertQueue(queue, { durable: true });
  await consumer.prefetch(concurrency * PREFETCH_MULTIPLIER);
  await consumer.consume(queue, (message) => {
    if (!message) return;
    const { replyTo, correlationId } = message.properties as {
      replyTo?: string;
      correlationId?: string;
    };
    publisher.publish(
      '',
      String(replyTo),
      REPLY,
      { correlationId, contentType: 'application/json' },
      () => consumer.ack(message),
    );
  });
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => {
    void model.close().finally(() => process.exit(0));
  });
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
