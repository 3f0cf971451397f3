import { toCeleryIso } from '../../../lib/protocol';
import {
  CELERY_DELAY_BITS,
  celeryDelayDeliveryExchange,
  celeryDelayLevel,
  celeryDelayRoutingKey,
} from '../../../lib/transports/amqp/celery-delayed-delivery';
import { Delivery } from '../../../lib/transports/transport';
import {
  AMQP_URL,
  connectQuietly,
  rawChannel,
  useSharedBroker,
} from '../../support/amqp-broker';
import { amqpFixtures, task } from '../../support/amqp-fixtures';
import { runPython } from '../../support/run-python';
import { uniqueName, waitUntil } from '../../support/wait';

useSharedBroker();

/**
 * Celery 5.5's delays on quorum queues, with the test's own kombu prefix
 * (`<prefix>_celery_delayed_k`) so that nothing named `celery_delayed_*` is touched.
 */
describe("AMQP: Celery 5.5's native delayed delivery on quorum queues", () => {
  const fx = amqpFixtures();
  const prefix = uniqueName('cdd').replace(/-/g, '_');
  const levels = Array.from({ length: CELERY_DELAY_BITS }, (_, k) =>
    celeryDelayLevel(k, prefix),
  );
  // The levels are deleted after each test that made them (fixtures' afterEach).
  const celeryLevels = () =>
    fx.alsoDelete(...levels, celeryDelayDeliveryExchange(prefix));
  const open = () => {
    celeryLevels();
    return fx.open({
      queueType: 'quorum',
      exchangeType: 'topic',
      celeryDelayPrefix: prefix,
    });
  };

  it('an eta on a quorum queue with a topic exchange waits in celery_delayed_* levels, then lands on its queue', async () => {
    const queue = fx.queue('cdd-eta');
    const transport = await open();
    // Declares the queue and the levels first, so the delay is not eaten by that.
    await transport.publish(queue, task('tests.now'));
    const message = task('tests.later');
    const sentAt = Date.now();
    message.headers.eta = toCeleryIso(new Date(sentAt + 5500));
    await transport.publish(queue, message);
    // Whole seconds (Celery truncates) in the levels of their binary digits.
    const { model, channel } = await rawChannel();
    try {
      const inLevels = async () => {
        let count = 0;
        for (const level of levels.slice(0, 3))
          count += (await channel.checkQueue(level)).messageCount;
        return count;
      };
      await waitUntil(
        async () => (await inLevels()) === 1,
        4000,
        'the message in celery_delayed_0..2',
      );
      expect((await channel.checkQueue(queue)).messageCount).toBe(1); // tests.now
    } finally {
      await model.close();
    }
    const got: { id: unknown; at: number }[] = [];
    await transport.consume(
      [queue],
      (delivery) => {
        // Read before the ack: a settled delivery lets go of its message.
        got.push({ id: delivery.message?.headers.id, at: Date.now() });
        void delivery.ack();
      },
      { prefetch: 1 },
    );
    await waitUntil(() => got.length === 2, 15_000, 'the delayed delivery');
    // 5 whole seconds (Celery truncates), 4 if the publish itself took over half a second.
    expect(got[1].at - sentAt).toBeGreaterThanOrEqual(4500);
    expect(got[1].id).toBe(message.headers.id);
  });

  it('on a direct exchange a delay goes through Celeriac’s own levels, where Celery 5.5 would not use its own', async () => {
    const queue = fx.queue('cdd-direct');
    celeryLevels();
    const transport = await fx.open({
      queueType: 'quorum',
      celeryDelayPrefix: prefix,
    });
    const message = task('tests.later');
    message.headers.eta = toCeleryIso(new Date(Date.now() + 1500));
    await transport.publish(queue, message);
    const got: Delivery[] = [];
    await transport.consume([queue], (delivery) => got.push(delivery), {
      prefetch: 1,
    });
    await waitUntil(() => got.length === 1, 10_000, 'the delayed delivery');
    await got[0].ack();
    const { model, channel } = await rawChannel();
    try {
      await expect(channel.checkExchange(levels[0])).rejects.toThrow(
        /NOT_FOUND/,
      );
    } finally {
      await model.close().catch(() => undefined);
    }
  });

  it('a Celery 5.5 producer’s delayed message reaches a queue a Celeriac worker consumes', async () => {
    const queue = fx.queue('cdd-from-celery');
    const transport = await open();
    const got: Delivery[] = [];
    await transport.consume([queue], (delivery) => got.push(delivery), {
      prefetch: 1,
    });
    // What Celery 5.5's send_task publishes for countdown=1 (kombu's routing key).
    const message = task('tests.from_celery');
    const model = await connectQuietly();
    try {
      const channel = await model.createConfirmChannel();
      channel.publish(
        celeryDelayLevel(CELERY_DELAY_BITS - 1, prefix),
        celeryDelayRoutingKey(1, queue),
        Buffer.from(message.body),
        {
          headers: message.headers,
          contentType: 'application/json',
          contentEncoding: 'utf-8',
          deliveryMode: 2,
        },
      );
      await channel.waitForConfirms();
    } finally {
      await model.close();
    }
    await waitUntil(() => got.length === 1, 10_000, 'the delivery');
    expect(got[0].message!.headers.id).toBe(message.headers.id);
    await got[0].ack();
  });

  it('kombu declares the same levels again afterwards without a mismatch (py-amqp’s argument types)', async () => {
    await (await open()).publish(fx.queue('cdd-kombu'), task());
    const script = [
      'from kombu import Connection, Exchange, Queue',
      `prefix = ${JSON.stringify(prefix)}`,
      'def level_name(level): return f"{prefix}_celery_delayed_{level}"',
      `with Connection(${JSON.stringify(AMQP_URL)}) as connection:`,
      '    channel = connection.channel()',
      '    # kombu 5.5 declare_native_delayed_delivery_exchanges_and_queues, queue_type quorum',
      '    for level in range(27, -1, -1):',
      '        Exchange(level_name(level), type="topic").bind(channel).declare()',
      '        arguments = {"x-queue-type": "quorum", "x-overflow": "reject-publish",',
      '                     "x-message-ttl": pow(2, level) * 1000,',
      '                     "x-dead-letter-exchange": level_name(level - 1) if level > 0 else f"{prefix}_celery_delayed_delivery",',
      '                     "x-dead-letter-strategy": "at-least-once"}',
      '        Queue(level_name(level), queue_arguments=arguments).bind(channel).declare()',
      '    Exchange(f"{prefix}_celery_delayed_delivery", type="topic").bind(channel).declare()',
      'print("declared")',
    ].join('\n');
    expect(runPython(script).trim()).toBe('declared');
  });
});
