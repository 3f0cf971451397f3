import { AmqpUnavailableError } from '../../../lib/drivers/amqp';
import { Delivery } from '../../../lib/transports/transport';
import {
  closeConnectionNamed,
  rabbitmqctl,
  recordingLogger,
  useSharedBroker,
  withBrokerToMyself,
} from '../../support/amqp-broker';
import { amqpFixtures, task } from '../../support/amqp-fixtures';
import { sleep, uniqueName, waitUntil } from '../../support/wait';

useSharedBroker();

describe('AMQP recovery', () => {
  const fx = amqpFixtures();

  it('comes back after rabbitmqctl close_connection: consumes and publishes again', async () => {
    const queue = fx.queue('closed');
    const logger = recordingLogger();
    const connectionName = uniqueName('recovery');
    const transport = await fx.open({ connectionName, logger });
    await transport.publish(queue, task('tests.first'));
    const got: Delivery[] = [];
    await transport.consume([queue], (delivery) => got.push(delivery), {
      prefetch: 1,
    });
    await waitUntil(() => got.length === 1, 5000, 'the first delivery');

    await closeConnectionNamed(connectionName);
    await transport.publish(queue, task('tests.after'));
    // The first delivery's channel is gone: acking it is a no-op that says so...
    await got[0].ack();
    expect(
      logger.lines.some((line) =>
        /cannot ack .* RabbitMQ gives it back/.test(line),
      ),
    ).toBe(true);
    expect(logger.lines.some((line) => /reconnected/.test(line))).toBe(true);
    // ...because the broker delivers it again, then the message sent after the outage.
    await waitUntil(() => got.length === 2, 10_000, 'the redelivery');
    expect(got[1].message?.headers.task).toBe('tests.first');
    expect(got[1].redelivered).toBe(true);
    await got[1].ack();
    await waitUntil(
      () => got.length === 3,
      5000,
      'the message sent after the outage',
    );
    expect(got[2].message?.headers.task).toBe('tests.after');
    await got[2].ack();
  });

  it('survives a RabbitMQ restart: sends wait for it (or time out clearly), consuming resumes', async () => {
    const queue = fx.queue('restart');
    const transport = await fx.open({ publishTimeoutMs: 60_000 });
    const impatient = await fx.open({ publishTimeoutMs: 500 });
    const got: Delivery[] = [];
    await transport.publish(queue, task('tests.before'));
    await transport.consume([queue], (delivery) => got.push(delivery), {
      prefetch: 5,
    });
    await waitUntil(() => got.length === 1, 5000, 'the first delivery');

    await withBrokerToMyself(async () => {
      let during: Promise<void> | undefined;
      let sent = false;
      await rabbitmqctl('stop_app');
      try {
        during = transport.publish(queue, task('tests.during')).then(() => {
          sent = true;
        });
        await expect(
          impatient.publish(queue, task('tests.impatient')),
        ).rejects.toThrow(AmqpUnavailableError);
        expect(sent).toBe(false);
      } finally {
        await rabbitmqctl('start_app');
      }
      await during;
    });

    await waitUntil(
      () => got.length === 3,
      20_000,
      'the redelivery and the message sent during the outage',
    );
    expect(
      got
        .slice(1)
        .map((delivery) => [
          delivery.message?.headers.task,
          delivery.redelivered,
        ]),
    ).toEqual([
      ['tests.before', true],
      ['tests.during', false],
    ]);
    await Promise.all(got.slice(1).map((delivery) => delivery.ack()));
    await sleep(100);
    expect(got.length).toBe(3);
  }, 90_000);
});
