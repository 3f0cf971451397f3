import { AmqpRefusedError } from '../../../lib/drivers/amqp';
import { Delivery } from '../../../lib/transports/transport';
import { rawChannel, useSharedBroker } from '../../support/amqp-broker';
import { amqpFixtures, argOf, task } from '../../support/amqp-fixtures';
import { waitUntil } from '../../support/wait';

useSharedBroker();

/** What kombu sends for `Queue(name, Exchange(name), name)`, with py-amqp's int type. */
async function declareAsCelery(
  queue: string,
  maxPriority?: number,
): Promise<void> {
  const { model, channel } = await rawChannel();
  try {
    await channel.assertExchange(queue, 'direct', {
      durable: true,
      autoDelete: false,
      internal: false,
    });
    await channel.assertQueue(queue, {
      durable: true,
      exclusive: false,
      autoDelete: false,
      arguments:
        maxPriority === undefined
          ? {}
          : { 'x-max-priority': { '!': 'int', value: maxPriority } },
    });
    await channel.bindQueue(queue, queue, queue);
  } finally {
    await model.close();
  }
}

describe('AMQP declarations (Celery’s, both ways)', () => {
  const fx = amqpFixtures();

  it('uses a queue Celery declared, and Celery can declare it again afterwards', async () => {
    const queue = fx.queue('celery-first');
    await declareAsCelery(queue);
    const transport = await fx.open();
    await transport.publish(queue, task('tests.add', [2, 3]));
    const got: Delivery[] = [];
    await transport.consume([queue], (delivery) => got.push(delivery), {
      prefetch: 1,
    });
    await waitUntil(() => got.length === 1, 5000, 'the delivery');
    await got[0].ack();
    await expect(declareAsCelery(queue)).resolves.toBeUndefined();
  });

  it('declares a new queue so that Celery’s declaration matches it', async () => {
    const queue = fx.queue('celeriac-first');
    const transport = await fx.open();
    await transport.publish(queue, task());
    await expect(declareAsCelery(queue)).resolves.toBeUndefined();
    // Celery's exchange and binding exist too: publishing through them reaches the queue.
    const { model, channel } = await rawChannel();
    try {
      channel.publish(queue, queue, Buffer.from('[[], {}, null]'));
      await waitUntil(
        async () => (await channel.checkQueue(queue)).messageCount === 2,
        5000,
        'two messages',
      );
    } finally {
      await model.close();
    }
  });

  it('declares x-max-priority as Celery does, in both orders, and runs 9 before 0', async () => {
    const celeryFirst = fx.queue('prio-celery-first');
    await declareAsCelery(celeryFirst, 10);
    const transport = await fx.open({
      queues: { [celeryFirst]: { maxPriority: 10 } },
    });
    for (const [n, priority] of [
      [1, 9],
      [2, 9],
      [3, 0],
      [4, 6],
    ] as const) {
      await transport.publish(celeryFirst, task('tests.n', [n], priority));
    }
    const got: Delivery[] = [];
    await transport.consume([celeryFirst], (delivery) => got.push(delivery), {
      prefetch: 1,
    });
    const order: unknown[] = [];
    while (order.length < 4) {
      await waitUntil(
        () => got.length > order.length,
        5000,
        'the next delivery',
      );
      order.push(argOf(got[order.length]));
      await got[order.length - 1].ack();
    }
    expect(order).toEqual([1, 2, 4, 3]);

    const celeriacFirst = fx.queue('prio-celeriac-first');
    const everywhere = await fx.open({ queueMaxPriority: 10 });
    await everywhere.publish(celeriacFirst, task());
    await expect(declareAsCelery(celeriacFirst, 10)).resolves.toBeUndefined();
  });

  it('says clearly why RabbitMQ refuses a queue declared with other arguments, and goes on', async () => {
    const queue = fx.queue('prio-mismatch');
    const other = fx.queue('fine');
    await declareAsCelery(queue, 10);
    const transport = await fx.open();
    const refused = transport.publish(queue, task());
    await expect(refused).rejects.toThrow(AmqpRefusedError);
    await expect(refused).rejects.toThrow(
      /PRECONDITION_FAILED.*x-max-priority.*maxPriority/s,
    );
    await expect(transport.publish(other, task())).resolves.toBeUndefined();
    await expect(
      transport.consume([queue], () => undefined, { prefetch: 1 }),
    ).rejects.toThrow(/x-max-priority/);
  });
});
