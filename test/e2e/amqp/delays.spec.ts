import type { Message } from 'amqplib';
import { toCeleryIso } from '../../../lib/protocol';
import { Delivery } from '../../../lib/transports/transport';
import {
  deleteDelayLevels,
  publishRaw,
  rawChannel,
  useSharedBroker,
} from '../../support/amqp-broker';
import { amqpFixtures, task } from '../../support/amqp-fixtures';
import { sleep, uniqueName, waitUntil } from '../../support/wait';

useSharedBroker();

const delayPrefix = uniqueName('delays');
afterAll(() => deleteDelayLevels(delayPrefix));

function collect(into: { delivery: Delivery; at: number }[]) {
  return (delivery: Delivery) => into.push({ delivery, at: Date.now() });
}

describe('AMQP delays (TTL levels in RabbitMQ)', () => {
  const fx = amqpFixtures();

  it('lands a 1 s countdown on its queue when due, not before', async () => {
    const queue = fx.queue('countdown');
    const transport = await fx.open({ delayPrefix });
    await transport.publish(queue, task('tests.warm-up')); // declarations out of the way
    const got: { delivery: Delivery; at: number }[] = [];
    await transport.consume([queue], collect(got), { prefetch: 5 });
    await waitUntil(() => got.length === 1, 5000, 'the warm-up');
    await got[0].delivery.ack();

    const message = task('tests.later');
    const due = Date.now() + 1000;
    message.headers.eta = toCeleryIso(new Date(due));
    await transport.publish(queue, message);
    await waitUntil(() => got.length === 2, 5000, 'the due message');
    const { delivery, at } = got[1];
    expect(at).toBeGreaterThanOrEqual(due);
    expect(at - due).toBeLessThan(1000); // generous; docs/rabbitmq.md gives the measured precision
    expect(delivery.message?.headers).toEqual(message.headers); // no x-death, no BCC
    expect(delivery.redelivered).toBe(false);
    await delivery.ack();
  });

  it("lands with its queue as routing key, as if published there (Celery sends a retry to the delivery's routing key)", async () => {
    const queue = fx.queue('routing-key');
    const producer = await fx.open({ delayPrefix });
    const message = task('tests.routed');
    message.headers.eta = toCeleryIso(new Date(Date.now() + 300));
    await producer.publish(queue, message);
    const { model, channel } = await rawChannel();
    try {
      const landed: Message[] = [];
      await waitUntil(
        async () => {
          const got = await channel.get(queue, { noAck: true });
          if (got) landed.push(got);
          return landed.length > 0;
        },
        5000,
        'the message on its queue',
      );
      expect(landed[0].fields).toMatchObject({
        exchange: '',
        routingKey: queue,
      });
    } finally {
      await model.close();
    }
  });

  it('keeps a delayed message in the broker while no consumer runs at all', async () => {
    const queue = fx.queue('no-consumer');
    const producer = await fx.open({ delayPrefix });
    const message = task('tests.while-down');
    message.headers.eta = toCeleryIso(new Date(Date.now() + 1200));
    await producer.publish(queue, message);
    await producer.close();

    const { model, channel } = await rawChannel();
    try {
      expect((await channel.checkQueue(queue)).messageCount).toBe(0);
      await waitUntil(
        async () => (await channel.checkQueue(queue)).messageCount === 1,
        5000,
        'the message on its queue',
      );
    } finally {
      await model.close();
    }
    const consumer = await fx.open({ delayPrefix });
    const got: { delivery: Delivery; at: number }[] = [];
    await consumer.consume([queue], collect(got), { prefetch: 1 });
    await waitUntil(() => got.length === 1, 5000, 'the delivery');
    expect(got[0].delivery.message?.headers.id).toBe(message.headers.id);
    await got[0].delivery.ack();
  });

  it('defers an eta message published by Celery (straight to the queue) and acks the original', async () => {
    const queue = fx.queue('celery-eta');
    const transport = await fx.open({ delayPrefix });
    const message = task('tests.celery-eta');
    const due = Date.now() + 800;
    message.headers.eta = toCeleryIso(new Date(due));
    await transport.publish(queue, task('tests.declare-only'));
    await publishRaw(queue, message.body, {
      headers: message.headers,
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      correlationId: message.headers.id,
      deliveryMode: 2,
    });
    const got: { delivery: Delivery; at: number }[] = [];
    await transport.consume([queue], collect(got), { prefetch: 2 });
    await waitUntil(() => got.length === 2, 5000, 'both messages');
    await got[0].delivery.ack();
    // What the worker does with an eta ahead of now:
    await got[1].delivery.defer(new Date(due));
    await waitUntil(() => got.length === 3, 5000, 'the deferred message');
    expect(got[2].at).toBeGreaterThanOrEqual(due);
    expect(got[2].delivery.message?.headers).toEqual(message.headers);
    expect(got[2].delivery.message?.body).toBe(message.body);
    await got[2].delivery.ack();
    // Closing gives back whatever is still unacked: the original was acked, so nothing.
    await transport.close();
    const { model, channel } = await rawChannel();
    try {
      expect((await channel.checkQueue(queue)).messageCount).toBe(0);
    } finally {
      await model.close();
    }
  });

  it('delays through quorum levels too (at-least-once dead-lettering)', async () => {
    const prefix = uniqueName('delays-quorum');
    try {
      const queue = fx.queue('quorum-delay');
      const transport = await fx.open({
        delayPrefix: prefix,
        delayQueueType: 'quorum',
      });
      const message = task('tests.quorum');
      const due = Date.now() + 1500;
      message.headers.eta = toCeleryIso(new Date(due));
      await transport.publish(queue, message);
      const got: { delivery: Delivery; at: number }[] = [];
      await transport.consume([queue], collect(got), { prefetch: 1 });
      await waitUntil(() => got.length === 1, 8000, 'the delivery');
      expect(got[0].at).toBeGreaterThanOrEqual(due);
      await got[0].delivery.ack();
    } finally {
      await sleep(10);
      await deleteDelayLevels(prefix);
    }
  });
});
