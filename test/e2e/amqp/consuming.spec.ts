import { Delivery } from '../../../lib/transports/transport';
import {
  rabbitmqctl,
  rawChannel,
  useSharedBroker,
} from '../../support/amqp-broker';
import { amqpFixtures, task } from '../../support/amqp-fixtures';
import { sleep, waitUntil } from '../../support/wait';

useSharedBroker();

async function unackedOnBroker(queues: string[]): Promise<number> {
  const out = await rabbitmqctl(
    'list_queues',
    'name',
    'messages_unacknowledged',
    '--formatter',
    'json',
    '-q',
  );
  const rows = JSON.parse(out) as {
    name: string;
    messages_unacknowledged: number;
  }[];
  return rows
    .filter((row) => queues.includes(row.name))
    .reduce((sum, row) => sum + row.messages_unacknowledged, 0);
}

describe('AMQP consuming', () => {
  const fx = amqpFixtures();

  it.each([
    ['per queue (default): prefetch per queue', false, 3 * 4],
    ['global QoS: prefetch + queues - 1', true, 4 + 2],
  ])(
    'keeps at most prefetch deliveries outstanding across queues; broker reserves %s',
    async (_label, globalQos, reserved) => {
      const queues = [
        fx.queue('bound-a'),
        fx.queue('bound-b'),
        fx.queue('bound-c'),
      ];
      const transport = await fx.open({ globalQos });
      for (const queue of queues) {
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            transport.publish(queue, task('tests.n', [i])),
          ),
        );
      }
      const got: Delivery[] = [];
      await transport.consume(queues, (delivery) => got.push(delivery), {
        prefetch: 4,
      });
      await waitUntil(() => got.length === 4, 5000, 'four deliveries');
      await sleep(300);
      expect(got.length).toBe(4);
      expect(await unackedOnBroker(queues)).toBe(reserved);
      let acked = 0;
      while (acked < 60) {
        await waitUntil(
          () => got.length > acked,
          5000,
          `delivery ${acked + 1}`,
        );
        expect(got.length - acked).toBeLessThanOrEqual(4);
        await got[acked++].ack();
      }
      await sleep(100);
      expect(got.length).toBe(60);
    },
  );

  it('hands out round-robin across queues with a larger prefetch too', async () => {
    const queues = [fx.queue('fair-a'), fx.queue('fair-b'), fx.queue('fair-c')];
    const transport = await fx.open();
    for (const queue of queues) {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          transport.publish(queue, task('tests.n', [i])),
        ),
      );
    }
    const seen: string[] = [];
    await transport.consume(
      queues,
      (delivery) => {
        seen.push(delivery.queue);
        setImmediate(() => void delivery.ack());
      },
      { prefetch: 8 },
    );
    await waitUntil(() => seen.length >= 150, 10_000, '150 deliveries');
    // Each queue hands its messages to the channel on its own, so the shares are near
    // but not exactly equal: 46–53 of 150 on a quiet host, 43 once under the full
    // suite. Taking the queues one after the other would give 100/50/0.
    const first = seen.slice(0, 150);
    for (const queue of queues) {
      const share = first.filter((name) => name === queue).length;
      expect(share).toBeGreaterThanOrEqual(40);
      expect(share).toBeLessThanOrEqual(60);
    }
  });

  it('gives back, on stop(), what it fetched but did not hand out; handed deliveries can still be acked', async () => {
    const a = fx.queue('stop-a');
    const b = fx.queue('stop-b');
    const transport = await fx.open();
    for (const queue of [a, b]) {
      await Promise.all(
        Array.from({ length: 3 }, (_, i) =>
          transport.publish(queue, task('tests.n', [i])),
        ),
      );
    }
    const got: Delivery[] = [];
    const consumer = await transport.consume(
      [a, b],
      (delivery) => got.push(delivery),
      { prefetch: 1 },
    );
    await waitUntil(() => got.length === 1, 5000, 'the delivery');
    // The broker has sent the other queue's message too; it waits here, not handed out.
    await waitUntil(
      async () => (await unackedOnBroker([a, b])) === 2,
      5000,
      'a second message fetched',
    );
    await consumer.stop();
    const other = await fx.open();
    const rest: Delivery[] = [];
    await other.consume([a, b], (delivery) => rest.push(delivery), {
      prefetch: 10,
    });
    // Given back by stop() itself: got[0] is still unacked, so the channel is open.
    await waitUntil(() => rest.length === 5, 5000, 'the five others');
    await got[0].ack();
    // Only the five held by the other consumer stay unacked: got[0]'s ack went through.
    await waitUntil(
      async () => (await unackedOnBroker([a, b])) === 5,
      5000,
      'the ack of the handed delivery',
    );
    expect(rest.length).toBe(5);
    expect(got.length).toBe(1);
  });

  it('goes on consuming a queue deleted and re-created under it', async () => {
    const queue = fx.queue('recreated');
    const transport = await fx.open();
    const got: Delivery[] = [];
    await transport.consume([queue], (delivery) => got.push(delivery), {
      prefetch: 1,
    });
    const { model, channel } = await rawChannel();
    await channel.deleteQueue(queue);
    await model.close();
    await sleep(200);
    await transport.publish(queue, task('tests.after'));
    await waitUntil(
      () => got.length === 1,
      5000,
      'a delivery from the re-declared queue',
    );
    expect(got[0].message?.headers.task).toBe('tests.after');
    await got[0].ack();
  });
});
