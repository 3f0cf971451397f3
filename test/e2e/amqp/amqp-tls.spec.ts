import { TaskClient } from '../../../lib';
import { AmqpConfigurationError } from '../../../lib/drivers/amqp/errors';
import { PrivateRabbitMqNode } from '../../support/private-rabbitmq-node';
import {
  TlsTasks,
  tlsRefusalCases,
  useTlsServer,
} from '../../support/tls-cases';
import { TestApps } from '../../support/test-apps';
import { uniqueName } from '../../support/wait';

/**
 * amqps:// against a RabbitMQ node of the test's own that listens only for AMQPS and
 * asks for a client certificate (mutual TLS), with certificates made for the run. The
 * node is removed with its data at the end: nothing to clean on it.
 */
describe('RabbitMQ over TLS (amqps://)', () => {
  const tls = useTlsServer(
    (certs) => PrivateRabbitMqNode.startTls(certs),
    120_000,
  );
  const apps = new TestApps();
  const queue = uniqueName('tls-q');

  afterEach(() => apps.close());

  it('a task round-trips, results over rpc:// on the same TLS connection', async () => {
    const app = await apps.open(
      {
        broker: tls.server.url,
        backend: 'rpc://',
        defaultQueue: queue,
        brokerOptions: { tls: tls.trusted },
        worker: { queues: [queue] },
      },
      { providers: [TlsTasks], logger: false },
    );
    const sum = await app.get(TaskClient).send<number>('tls.add', [2, 3]);
    expect(await sum.get({ timeout: 10 })).toBe(5);
  });

  tlsRefusalCases({
    tls,
    apps,
    queue,
    configurationError: AmqpConfigurationError,
    otherHost: 'rabbit.example',
  });

  it('TLS options on an amqp:// URL are refused at boot', async () => {
    await expect(
      apps.open(
        {
          broker: `amqp://guest:guest@127.0.0.1:${tls.server.port}`,
          backend: 'memory://',
          brokerOptions: { tls: tls.trusted },
        },
        { logger: false },
      ),
    ).rejects.toThrow('a URL without TLS: use amqps://');
  });
});
