import { randomUUID } from 'node:crypto';
import { buildTaskMessage } from '../../../lib/protocol';
import { AmqpTransport } from '../../../lib/transports/amqp';
import {
  AmqpConnection,
  AmqpRefusedError,
  AmqpUnavailableError,
  ConfirmPublisher,
} from '../../../lib/drivers/amqp';
import {
  AMQP_URL,
  rawChannel,
  recordingLogger,
  useSharedBroker,
} from '../../support/amqp-broker';
import { amqpFixtures, task } from '../../support/amqp-fixtures';
import { waitUntil } from '../../support/wait';

useSharedBroker();

async function messagesIn(queue: string): Promise<number> {
  const { model, channel } = await rawChannel();
  try {
    return (await channel.checkQueue(queue)).messageCount;
  } finally {
    await model.close();
  }
}

describe('AMQP publishing (confirms)', () => {
  const fx = amqpFixtures();

  it('confirms thousands of concurrent publishes, each one, with none lost', async () => {
    const queue = fx.queue('confirms');
    const transport = await fx.open();
    const count = 3000;
    const results = await Promise.allSettled(
      Array.from({ length: count }, (_, i) =>
        transport.publish(queue, task('tests.n', [i])),
      ),
    );
    expect(results.filter((result) => result.status === 'rejected')).toEqual(
      [],
    );
    expect(await messagesIn(queue)).toBe(count);
  });

  it('honours back-pressure: large messages past the socket buffer all arrive whole', async () => {
    const queue = fx.queue('drain');
    const transport = await fx.open();
    const big = 'x'.repeat(512 * 1024);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const message = task('tests.big', [i]);
        message.body = JSON.stringify([[i, big], {}, null]);
        return transport.publish(queue, message);
      }),
    );
    expect(await messagesIn(queue)).toBe(40);
    const { model, channel } = await rawChannel();
    try {
      const got = await channel.get(queue, { noAck: true });
      expect(
        got && (JSON.parse(got.content.toString()) as unknown[][])[0][1],
      ).toBe(big);
    } finally {
      await model.close();
    }
  });

  it('refuses at once headers too large for AMQP, and goes on publishing', async () => {
    const queue = fx.queue('huge-headers');
    const transport = await fx.open();
    // argsrepr is cut at 1024 characters, as Celery's saferepr does; a header set by
    // hand can still be too large.
    const huge = buildTaskMessage({
      name: 'tests.huge',
      id: randomUUID(),
      args: ['y'.repeat(100_000)],
      kwargs: {},
      origin: 'tests',
      headers: { trace: 'y'.repeat(100_000) },
    });
    await expect(transport.publish(queue, huge)).rejects.toThrow(
      /headers.*trace/,
    );
    await expect(transport.publish(queue, task())).resolves.toBeUndefined();
    expect(await messagesIn(queue)).toBe(1);

    const nested = task('tests.nested');
    nested.headers.stamps = { blob: 'z'.repeat(70_000) };
    await expect(transport.publish(queue, nested)).rejects.toThrow(
      AmqpRefusedError,
    );
    expect(await messagesIn(queue)).toBe(1);
  });

  it('gives up a message whose channel keeps dying under it; the others get through', async () => {
    // Headers past amqplib's 64 KB make RabbitMQ close the connection (541): the
    // transport measures them first, so this goes to the publisher directly.
    const queue = fx.queue('poison');
    const transport = await fx.open();
    await transport.publish(queue, task());
    const connection = new AmqpConnection(AMQP_URL, {
      logger: recordingLogger(),
    });
    const publisher = new ConfirmPublisher(connection, recordingLogger());
    try {
      const send = (headers: Record<string, unknown>) =>
        publisher.publish(
          {
            exchange: '',
            routingKey: queue,
            content: Buffer.from('[[], {}, null]'),
            options: { headers, deliveryMode: 2 },
          },
          Date.now() + 20_000,
        );
      const poison = send({ stamps: { blob: 'z'.repeat(70_000) } });
      await expect(poison).rejects.toThrow(/died 5 times/);
      await Promise.all(Array.from({ length: 20 }, () => send({ ok: true })));
      expect(await messagesIn(queue)).toBeGreaterThanOrEqual(21);
    } finally {
      await publisher.close();
      await connection.close();
    }
  });

  it('rejects with a clear error when the broker stays unreachable past the publish timeout', async () => {
    const logger = recordingLogger();
    const transport = AmqpTransport.fromUrl('amqp://guest:guest@127.0.0.1:1', {
      publishTimeoutMs: 400,
      logger,
    });
    try {
      const publishing = transport.publish('never', task());
      await expect(publishing).rejects.toThrow(AmqpUnavailableError);
      await expect(publishing).rejects.toThrow(
        /127\.0\.0\.1:1.*unreachable.*ECONNREFUSED/,
      );
      expect(
        logger.lines.some((line) => /cannot connect.*retrying/.test(line)),
      ).toBe(true);
    } finally {
      await transport.close();
    }
  });

  it('declares a queue deleted behind its back again instead of dropping the message', async () => {
    const queue = fx.queue('deleted');
    const transport = await fx.open();
    await transport.publish(queue, task());
    const { model, channel } = await rawChannel();
    await channel.deleteQueue(queue);
    await model.close();
    await transport.publish(queue, task('tests.after-delete'));
    await waitUntil(
      async () => (await messagesIn(queue)) === 1,
      5000,
      'the message in the re-declared queue',
    );
  });
});
