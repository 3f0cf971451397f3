import { AmqpConnection } from '../../../lib/drivers/amqp/amqp-connection';
import {
  ChannelPerConnection,
  ChannelPerConnectionOptions,
} from '../../../lib/drivers/amqp/channel-per-connection';
import { consumeOrClose } from '../../../lib/drivers/amqp/consume-or-close';
import { randomUUID } from 'node:crypto';
import {
  AMQP_URL,
  closeConnectionNamed,
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
      { resubscribeDelayMs: 600 },
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

      // Deleted again, and closed once the retry waits (600 ms): it never runs.
      await raw.channel.deleteQueue(queue);
      await sleep(200);
      await subscriber.close();
      await sleep(900);
      expect(setUps).toBe(2);
      expect(
        logger.lines.filter((line) => line.startsWith('warn ')),
      ).toHaveLength(1);
    } finally {
      await raw.model.close();
    }
  });

  /**
   * A subscriber on a connection of its own, started, whose set-ups numbered `fails`
   * throw `reason`; RabbitMQ then closes the connection, so the next set-up is the
   * first on the new one.
   */
  async function reconnectWithFailingSetUps(
    fails: (setUp: number) => boolean,
    reason: string,
    options?: ChannelPerConnectionOptions,
  ) {
    const logger = recordingLogger();
    const connectionName = `cpc-${randomUUID()}`;
    connection = new AmqpConnection(AMQP_URL, { logger, connectionName });
    let setUps = 0;
    const subscriber = new ChannelPerConnection(
      connection,
      logger,
      'test subscriber',
      async (channel) => {
        setUps++;
        if (fails(setUps)) throw new Error(reason);
        await channel.assertQueue(queue, { durable: false });
        await consumeOrClose(channel, queue, () => undefined, { noAck: true });
      },
      options,
    );
    await subscriber.start(Date.now() + 10_000);
    await closeConnectionNamed(connectionName);
    return { subscriber, logger, setUps: () => setUps };
  }

  it('retries a set-up that failed on a new connection, quietly after the first warning', async () => {
    // The second set-up (the first on the new connection) fails.
    const { subscriber, logger, setUps } = await reconnectWithFailingSetUps(
      (setUp) => setUp === 2,
      'refused once',
    );
    await waitUntil(
      () => setUps() >= 3,
      10_000,
      'a set-up after the failed one',
    );
    const raw = await rawChannel();
    try {
      await waitUntil(
        async () => (await raw.channel.checkQueue(queue)).consumerCount === 1,
        5_000,
        'the consumer back',
      );
    } finally {
      await raw.model.close();
    }
    expect(
      logger.lines.filter((line) => line.includes('refused once')),
    ).toEqual([expect.stringMatching(/^warn .*could not listen again/)]);
    await subscriber.close();
  });

  it('closes within 2 s while a set-up hangs', async () => {
    connection = new AmqpConnection(AMQP_URL, { logger: recordingLogger() });
    let setUpStarted = false;
    const subscriber = new ChannelPerConnection(
      connection,
      recordingLogger(),
      'test subscriber',
      () => {
        setUpStarted = true;
        return new Promise<void>(() => undefined); // the broker never answers
      },
    );
    void subscriber.start(Date.now() + 10_000).catch(() => undefined);
    await waitUntil(() => setUpStarted, 5_000, 'the set-up');
    const started = Date.now();
    await subscriber.close();
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('logs set-ups that keep failing at debug after one warning', async () => {
    // Every set-up on the new connection fails, until the fourth.
    const { subscriber, logger, setUps } = await reconnectWithFailingSetUps(
      (setUp) => setUp > 1 && setUp < 5,
      'refused again',
      { resubscribeDelayMs: 50 },
    );
    await waitUntil(() => setUps() >= 5, 10_000, 'a set-up that succeeds');
    const refusals = logger.lines.filter((line) =>
      line.includes('refused again'),
    );
    expect(refusals.map((line) => line.split(' ')[0])).toEqual([
      'warn',
      'debug',
      'debug',
    ]);
    await subscriber.close();
  });
});
