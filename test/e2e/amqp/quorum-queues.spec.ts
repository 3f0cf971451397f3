import {
  AmqpConfigurationError,
  AmqpRefusedError,
} from '../../../lib/drivers/amqp';
import { toCeleryIso } from '../../../lib/protocol';
import { Delivery } from '../../../lib/transports/transport';
import {
  deleteDelayLevels,
  rawChannel,
  useSharedBroker,
} from '../../support/amqp-broker';
import { amqpFixtures, task } from '../../support/amqp-fixtures';
import { uniqueName, waitUntil } from '../../support/wait';

useSharedBroker();

/** What kombu sends for Celery 5.5's `Queue(name, Exchange(name), name, queue_arguments=...)`. */
async function declareAsCelery(
  queue: string,
  queueArguments: Record<string, unknown>,
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
      arguments: queueArguments,
    });
    await channel.bindQueue(queue, queue, queue);
  } finally {
    await model.close();
  }
}

const int = (value: number) => ({ '!': 'int', value });

describe('AMQP quorum queues', () => {
  const fx = amqpFixtures();
  const quorumLevels: string[] = [];
  afterAll(() =>
    Promise.all(quorumLevels.map((prefix) => deleteDelayLevels(prefix))),
  );

  it('declares x-queue-type quorum as Celery 5.5 does: Celery’s declaration matches, before and after', async () => {
    const first = fx.queue('qq-celeriac-first');
    const second = fx.queue('qq-celery-first');
    await declareAsCelery(second, { 'x-queue-type': 'quorum' });
    const transport = await fx.open({ queueType: 'quorum' });
    await transport.publish(first, task('tests.add', [1, 2]));
    await transport.publish(second, task('tests.add', [3, 4]));
    await expect(
      declareAsCelery(first, { 'x-queue-type': 'quorum' }),
    ).resolves.toBeUndefined();
    // A classic declaration of the same name is refused: the queue really is quorum.
    await expect(declareAsCelery(first, {})).rejects.toThrow(/x-queue-type/);

    const got: Delivery[] = [];
    await transport.consume([first, second], (delivery) => got.push(delivery), {
      prefetch: 4,
    });
    await waitUntil(() => got.length === 2, 5000, 'both deliveries');
    await Promise.all(got.map((delivery) => delivery.ack()));
  });

  it('a per-queue queueType wins over the transport’s, and a mismatch names the arguments', async () => {
    const queue = fx.queue('qq-mismatch');
    await declareAsCelery(queue, {});
    const transport = await fx.open({
      queues: { [queue]: { queueType: 'quorum' } },
    });
    const refused = await transport
      .publish(queue, task())
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AmqpRefusedError);
    expect((refused as Error).message).toMatch(/x-queue-type "quorum"/);
  });

  it('a message past x-delivery-limit is dead-lettered by RabbitMQ into <queue>.dead, and listed with its reason', async () => {
    const queue = fx.queue('qq-limit');
    const transport = await fx.open({
      queues: { [queue]: { queueType: 'quorum', deliveryLimit: 2 } },
    });
    await transport.publish(queue, task('tests.crashes', [1]));
    // Celery 5.5 declares the same queue when its queue_arguments repeat Celeriac's.
    await expect(
      declareAsCelery(queue, {
        'x-queue-type': 'quorum',
        'x-delivery-limit': int(2),
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': `${queue}.dead`,
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
      }),
    ).resolves.toBeUndefined();

    // A worker that dies with the message each time: it goes back to the queue.
    let deliveries = 0;
    const consumer = await transport.consume(
      [queue],
      (delivery) => {
        deliveries++;
        void delivery.requeue();
      },
      { prefetch: 1 },
    );
    await waitUntil(
      async () => (await transport.countDeadLetters(queue)) === 1,
      10_000,
      'the dead letter',
    );
    await consumer.stop();
    expect(deliveries).toBe(3); // the first delivery and two redeliveries
    const [letter] = await transport.listDeadLetters(queue);
    expect(letter.queue).toBe(queue);
    expect(letter.reason).toBe('rabbitmq: delivery_limit');
    expect(letter.message?.headers.task).toBe('tests.crashes');
  });

  it('consumes a quorum queue with globalQos on: global QoS is left off, as Celery 5.5 does', async () => {
    const queue = fx.queue('qq-qos');
    const transport = await fx.open({ queueType: 'quorum', globalQos: true });
    for (let i = 0; i < 3; i++)
      await transport.publish(queue, task('tests.add', [i, i]));
    const got: Delivery[] = [];
    await transport.consume([queue], (delivery) => got.push(delivery), {
      prefetch: 2,
    });
    await waitUntil(
      () => got.length === 2,
      5000,
      'two deliveries (the prefetch)',
    );
    await Promise.all(got.map((delivery) => delivery.ack()));
    await waitUntil(() => got.length === 3, 5000, 'the third');
    await got[2].ack();
  });

  it('delays a message on a quorum queue through quorum delay levels', async () => {
    const queue = fx.queue('qq-delay');
    // Levels of their own: the file's other tests made classic ones under the shared prefix.
    const delayPrefix = uniqueName('test-delay-quorum');
    quorumLevels.push(delayPrefix);
    const transport = await fx.open({
      queueType: 'quorum',
      delayQueueType: 'quorum',
      delayPrefix,
    });
    const eta = new Date(Date.now() + 1500);
    const message = task('tests.later');
    message.headers.eta = toCeleryIso(eta);
    await transport.publish(queue, message);
    const got: { delivery: Delivery; at: number }[] = [];
    await transport.consume(
      [queue],
      (delivery) => got.push({ delivery, at: Date.now() }),
      { prefetch: 1 },
    );
    await waitUntil(() => got.length === 1, 10_000, 'the delayed delivery');
    expect(got[0].at).toBeGreaterThanOrEqual(eta.getTime());
    await got[0].delivery.ack();
  });

  it('refuses settings RabbitMQ would refuse, when the transport is made', async () => {
    await expect(
      fx.open({ queues: { a: { queueType: 'quorum', maxPriority: 5 } } }),
    ).rejects.toThrow(
      new AmqpConfigurationError(
        'brokerOptions.queues["a"]: maxPriority needs a classic queue; RabbitMQ refuses x-max-priority on a quorum queue',
      ),
    );
    await expect(
      fx.open({ queues: { b: { deliveryLimit: 3 } } }),
    ).rejects.toThrow(/queues\["b"\]: deliveryLimit needs queueType 'quorum'/);
  });
});
