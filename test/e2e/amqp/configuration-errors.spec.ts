import { TaskClient } from '../../../lib';
import {
  AmqpConfigurationError,
  AmqpUnavailableError,
} from '../../../lib/drivers/amqp/errors';
import { CollectingLogger } from '../../support/collecting-logger';
import { AMQP_URL } from '../../support/amqp-broker';
import { REDIS_URL } from '../../support/redis-keys';
import { TestApps } from '../../support/test-apps';
import { sleep, uniqueName } from '../../support/wait';

/** RabbitMQ's permanent refusals are configuration errors, not outages to retry at WARN. */
describe('AMQP configuration errors', () => {
  const apps = new TestApps();
  const queue = uniqueName('amqp-config-q');
  const wrongPassword = AMQP_URL.replace(/\/\/([^:]*):[^@]*@/, '//$1:wrong@');

  afterEach(() => apps.close());

  it('a wrong password: the send rejects at once and the connection is not retried', async () => {
    const logger = new CollectingLogger();
    const app = await apps.open(
      { broker: wrongPassword, backend: 'memory://', defaultQueue: queue },
      { logger },
    );
    const started = Date.now();
    const sent = app.get(TaskClient).send('config.echo', ['x']);
    await expect(sent).rejects.toBeInstanceOf(AmqpConfigurationError);
    await expect(sent).rejects.toThrow(/ACCESS_REFUSED/);
    expect(Date.now() - started).toBeLessThan(5000);
    await sleep(1500);
    expect(logger.lines.filter((line) => line.startsWith('warn:'))).toEqual([]);
    expect(
      logger.lines.filter((line) => /^error: .*ACCESS_REFUSED/.test(line)),
    ).toHaveLength(1);
  });

  it('an unknown vhost fails the boot of an rpc:// app with a clear error', async () => {
    const vhost = uniqueName('no-such-vhost');
    const started = Date.now();
    const opening = apps.open(
      { broker: `${AMQP_URL}/${vhost}`, defaultQueue: queue },
      { logger: false },
    );
    await expect(opening).rejects.toBeInstanceOf(AmqpConfigurationError);
    await expect(opening).rejects.toThrow(
      `the vhost "${vhost}" does not exist, or the user has no access to it`,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('failFast fails the boot when RabbitMQ cannot be reached', async () => {
    const opening = apps.open(
      {
        broker: 'amqp://guest:guest@127.0.0.1:1',
        backend: `${REDIS_URL}/1`,
        failFast: { timeout: '1s' },
      },
      { logger: false },
    );
    await expect(opening).rejects.toBeInstanceOf(AmqpUnavailableError);
    await expect(opening).rejects.toThrow(/ECONNREFUSED/);
  });

  it('failFast bounds the rpc:// reply queue declaration when RabbitMQ cannot be reached', async () => {
    const opening = apps.open(
      {
        broker: 'amqp://guest:guest@127.0.0.1:1',
        backend: 'rpc://',
        failFast: { timeout: '1s' },
      },
      { logger: false },
    );
    await expect(opening).rejects.toBeInstanceOf(AmqpUnavailableError);
    await expect(opening).rejects.toThrow(
      /^rpc:\/\/ result backend: RabbitMQ at .*127\.0\.0\.1:1.* is unreachable: .*ECONNREFUSED.*; failFast stops the boot$/,
    );
  });
});
