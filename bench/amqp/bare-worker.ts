/**
 * The ceiling, in a process of its own: a bare amqplib consumer on BENCH_QUEUE (prefetch
 * BENCH_CONCURRENCY × PREFETCH_MULTIPLIER, per consumer) that does what a worker must at the least: for
 * each message, publish a reply to its `reply_to` and ack it, both on the consuming
 * (confirm) channel, the reply first: RabbitMQ processes a channel's frames in order, so
 * the ack cannot overtake the reply, and nothing waits for a round trip (see
 * docs/rabbitmq.md, "Replies and acks"), with frames written in batches (one syscall
 * per pass of amqplib's multiplexer, not one per frame). Celeriac's worker does the
 * same. No decoding, no task. Prints `ready` once consuming.
 */
import { connect } from 'amqplib';
import { batchSocketWrites } from '../../lib/drivers/amqp/batch-writes';
import { AMQP_BENCH_URL, PREFETCH_MULTIPLIER } from './config';

const REPLY = Buffer.from('{"status":"SUCCESS","result":null}');

async function main(): Promise<void> {
  const queue = process.env.BENCH_QUEUE ?? 'bench';
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 10);
  const model = await connect(AMQP_BENCH_URL, { noDelay: true });
  batchSocketWrites(model); // one write per batch of frames, as Celeriac does
  const channel = await model.createConfirmChannel();
  await channel.assertQueue(queue, { durable: true });
  await channel.prefetch(concurrency * PREFETCH_MULTIPLIER);
  let nacked = 0;
  await channel.consume(queue, (message) => {
    if (!message) return;
    const { replyTo, correlationId } = message.properties as {
      replyTo?: string;
      correlationId?: string;
    };
    channel.publish(
      '',
      String(replyTo),
      REPLY,
      { correlationId, contentType: 'application/json', deliveryMode: 1 },
      (error: unknown) => {
        if (error && nacked++ === 0) process.stderr.write('reply nacked\n');
      },
    );
    channel.ack(message);
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
