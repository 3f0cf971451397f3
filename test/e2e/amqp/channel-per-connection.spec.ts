import { AmqpConnection } from '../../../lib/drivers/amqp/amqp-connection';
import { ChannelPerConnection } from '../../../lib/drivers/amqp/channel-per-connection';
import { consumeOrClose } from '../../../lib/drivers/amqp/consume-or-close';
import {
  AMQP_URL,
  deleteQueues,
  publishRaw,
  rawChannel,
  recordingLogger,
  useSharedBroker,
} from '../../support/amqp-broker';
import { sleep, uniqueName, waitUntil } from '../../support/wait';

useSharedBroker();

describe('ChannelPerConnection', () => {
  const queue = uniqueName('channel-per-connection');
  let connection: AmqpConnection | undefined;

  afterEach(async () => {
    await connection?.close();
    await deleteQueues([queue]);
  });

  it('started before the connection is up, consumes once and not after close', async () => {
    const logger = recordingLogger();
    connection = new AmqpConnection(AMQP_URL, { logger });
    const heard: string[] = [];
    const subscriber = new ChannelPerConnection(
      connection,
      logger,
      'test subscriber',
      async (channel) => {
        await channel.assertQueue(queue, { durable: false });
        await channel.consume(
          queue,
          (delivery) => {
            if (delivery) heard.push(delivery.content.toString());
          },
          { noAck: true },
        );
      },
    );
    expect(connection.current).toBeUndefined();
    await subscriber.start(Date.now() + 10_000);

    const raw = await rawChannel();
    try {
      expect((await raw.channel.checkQueue(queue)).consumerCount).toBe(1);

      await subscriber.close();
      expect((await raw.channel.checkQueue(queue)).consumerCount).toBe(0);
      // Nobody consumes it now: it waits in the queue, and the handler never hears it.
      await publishRaw(queue, 'after close', {});
      const got = await raw.channel.get(queue, { noAck: true });
      expect(got && got.content.toString()).toBe('after close');
      expect(heard).toEqual([]);
    } finally {
      await raw.model.close();
    }
  });

  it('subscribes again, after a warning, when the broker cancels its consumer while connected; not after close', async () => {
    const logger = recordingLogger();
    connection = new AmqpConnection(AMQP_URL, { logger });
    const heard: string[] = [];
    let setUps = 0;
    const subscriber = new ChannelPerConnection(
      connection,
      logger,
      'test subscriber',
      async (channel) => {
        await channel.assertQueue(queue, { durable: false });
        await consumeOrClose(
          channel,
          queue,
          (delivery) => heard.push(delivery.content.toString()),
          { noAck: true },
        );
        setUps++;
      },
    );
    await subscriber.start(Date.now() + 10_000);
    const raw = await rawChannel();
    try {
      await raw.channel.deleteQueue(queue);
      await waitUntil(() => setUps === 2, 5_000, 'a second set-up');
      expect((await raw.channel.checkQueue(queue)).consumerCount).toBe(1);
      await publishRaw(queue, 'after delete', {});
      await waitUntil(() => heard.length === 1, 5_000, 'the message');
      expect(heard).toEqual(['after delete']);
      expect(logger.lines.filter((line) => line.startsWith('warn '))).toEqual([
        expect.stringContaining('test subscriber: channel closed'),
      ]);

      // Deleted again, then closed before the delay runs out: no third set-up.
      await raw.channel.deleteQueue(queue);
      await subscriber.close();
      await sleep(500);
      expect(setUps).toBe(2);
    } finally {
      await raw.model.close();
    }
  });
});
