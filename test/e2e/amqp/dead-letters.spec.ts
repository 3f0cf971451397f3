import { Delivery } from '../../../lib/transports/transport';
import { rawChannel, useSharedBroker } from '../../support/amqp-broker';
import { amqpFixtures, task } from '../../support/amqp-fixtures';
import { sleep, waitUntil } from '../../support/wait';

useSharedBroker();

describe('AMQP dead letters', () => {
  const fx = amqpFixtures();

  it('keeps the message with its reason in <queue>.dead, acks it, and never redelivers it', async () => {
    const queue = fx.queue('dl');
    const transport = await fx.open();
    const sent = task('tests.unknown', [1, 2]);
    await transport.publish(queue, sent);
    const got: Delivery[] = [];
    await transport.consume([queue], (delivery) => got.push(delivery), {
      prefetch: 1,
    });
    await waitUntil(() => got.length === 1, 5000, 'the delivery');
    await got[0].deadLetter('NotRegistered: tests.unknown');
    await sleep(300);
    expect(got.length).toBe(1);

    expect(transport.deadLetterQueueOf(queue)).toBe(`${queue}.dead`);
    const { model, channel } = await rawChannel();
    try {
      expect((await channel.checkQueue(queue)).messageCount).toBe(0);
      const raw = await channel.get(`${queue}.dead`, { noAck: false });
      expect(raw && raw.properties.headers).toMatchObject({
        ...sent.headers,
        'x-celeriac-dead-reason': 'NotRegistered: tests.unknown',
        'x-celeriac-dead-queue': queue,
      });
      expect(raw && raw.content.toString()).toBe(sent.body);
      expect(raw && raw.properties.deliveryMode).toBe(2);
    } finally {
      await model.close(); // gives the dead letter back
    }

    const letters = await transport.listDeadLetters(queue);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      queue,
      reason: 'NotRegistered: tests.unknown',
    });
    expect(letters[0].message?.headers).toEqual(sent.headers);
    expect(letters[0].at?.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(await transport.listDeadLetters(queue)).toHaveLength(1); // listing leaves them
  });

  it('replays dead letters onto their queue, as they were sent', async () => {
    const queue = fx.queue('replay');
    const transport = await fx.open();
    const sent = [task('tests.a', [1]), task('tests.b', [2])];
    for (const message of sent) await transport.publish(queue, message);
    const got: Delivery[] = [];
    const consumer = await transport.consume(
      [queue],
      (delivery) => got.push(delivery),
      { prefetch: 2 },
    );
    await waitUntil(() => got.length === 2, 5000, 'both deliveries');
    await Promise.all(
      got.map((delivery) => delivery.deadLetter('handler not deployed yet')),
    );
    await consumer.stop();

    expect(await transport.replayDeadLetters(queue)).toBe(2);
    expect(await transport.listDeadLetters(queue)).toEqual([]);
    const again: Delivery[] = [];
    await transport.consume([queue], (delivery) => again.push(delivery), {
      prefetch: 2,
    });
    await waitUntil(() => again.length === 2, 5000, 'the replayed messages');
    expect(again.map((delivery) => delivery.message?.headers)).toEqual(
      sent.map((message) => message.headers),
    );
    await Promise.all(again.map((delivery) => delivery.ack()));
  });

  it('sends dead letters where a deadLetterQueue option says', async () => {
    const queue = fx.queue('dl-custom');
    const shared = fx.queue('all-dead');
    const transport = await fx.open({ deadLetterQueue: () => shared });
    await transport.publish(queue, task());
    const got: Delivery[] = [];
    await transport.consume([queue], (delivery) => got.push(delivery), {
      prefetch: 1,
    });
    await waitUntil(() => got.length === 1, 5000, 'the delivery');
    await got[0].deadLetter('bad');
    const [letter] = await transport.listDeadLetters(queue);
    expect(letter).toMatchObject({ queue, reason: 'bad' });
  });
});
