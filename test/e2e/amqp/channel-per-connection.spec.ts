import { AmqpConnection } from '../../../lib/drivers/amqp/amqp-connection';
import { ChannelPerConnection } from '../../../lib/drivers/amqp/channel-per-connection';
import {
  AMQP_URL,
  deleteQueues,
  publishRaw,
  rawChannel,
  recordingLogger,
  useSharedBroker,
} from '../../support/amqp-broker';
import { uniqueName } from '../../support/wait';

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
});
