import { join } from 'node:path';
import { Delivery } from '../../../lib/transports/transport';
import { AMQP_URL, useSharedBroker } from '../../support/amqp-broker';
import { exited, linesOf, spawnTs } from '../../support/spawn-ts';
import { amqpFixtures, task } from '../../support/amqp-fixtures';
import { waitUntil } from '../../support/wait';

/** A consumer process that never settles what it takes. */
const HOLD_DELIVERIES = join(
  __dirname,
  '..',
  '..',
  'support',
  'hold-deliveries.child.ts',
);

useSharedBroker();

describe('AMQP consumer killed with SIGKILL', () => {
  const fx = amqpFixtures();

  it('gives every unacked message back, redelivered to the next consumer', async () => {
    const queue = fx.queue('sigkill');
    const transport = await fx.open();
    const sent = Array.from({ length: 5 }, (_, i) => task('tests.n', [i]));
    await Promise.all(sent.map((message) => transport.publish(queue, message)));

    const child = spawnTs(HOLD_DELIVERIES, {
      BROKER_URL: AMQP_URL,
      QUEUE: queue,
      PREFETCH: '10',
    });
    try {
      const lines = linesOf(child);
      await waitUntil(
        () => lines.filter((line) => line.startsWith('held ')).length === 5,
        20_000,
        'the child taking all five',
      );
      child.kill('SIGKILL');
      await exited(child);
    } finally {
      if (child.exitCode === null && child.signalCode === null)
        child.kill('SIGKILL');
    }

    const got: Delivery[] = [];
    await transport.consume([queue], (delivery) => got.push(delivery), {
      prefetch: 10,
    });
    await waitUntil(() => got.length === 5, 10_000, 'the five messages again');
    expect(got.every((delivery) => delivery.redelivered)).toBe(true);
    expect(got.map((delivery) => delivery.message?.headers.id).sort()).toEqual(
      sent.map((message) => message.headers.id).sort(),
    );
    await Promise.all(got.map((delivery) => delivery.ack()));
  }, 40_000);
});
