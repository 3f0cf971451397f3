import { Injectable } from '@nestjs/common';
import { Task, TaskClient, TlsOptions } from '../../../lib';
import { AmqpConfigurationError } from '../../../lib/drivers/amqp/errors';
import { CollectingLogger } from '../../interop/support/nest-app';
import { PrivateRabbitMqNode } from '../../support/private-rabbitmq-node';
import {
  TestCertificates,
  makeTestCertificates,
} from '../../support/test-certificates';
import { TestApps } from '../../support/test-apps';
import { sleep, uniqueName } from '../../support/wait';

@Injectable()
class TlsTasks {
  @Task('tls.add')
  add(a: number, b: number): number {
    return a + b;
  }
}

/**
 * amqps:// against a RabbitMQ node of the test's own that listens only for AMQPS and
 * asks for a client certificate (mutual TLS), with certificates made for the run. The
 * node is removed with its data at the end: nothing to clean on it.
 */
describe('RabbitMQ over TLS (amqps://)', () => {
  let certs: TestCertificates;
  let node: PrivateRabbitMqNode;
  let trusted: TlsOptions;
  const apps = new TestApps();
  const queue = uniqueName('tls-q');

  beforeAll(async () => {
    certs = makeTestCertificates();
    node = await PrivateRabbitMqNode.startTls(certs);
    trusted = { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey };
  }, 120_000);

  afterEach(() => apps.close());

  afterAll(async () => {
    await node?.stop();
    certs?.remove();
  }, 60_000);

  it('a task round-trips, results over rpc:// on the same TLS connection', async () => {
    const app = await apps.open(
      {
        broker: node.url,
        backend: 'rpc://',
        defaultQueue: queue,
        brokerOptions: { tls: trusted },
        worker: { queues: [queue] },
      },
      { providers: [TlsTasks], logger: false },
    );
    const sum = await app.get(TaskClient).send<number>('tls.add', [2, 3]);
    expect(await sum.get({ timeout: 10 })).toBe(5);
  });

  it('a server certificate from an unknown CA is refused at once, logged once at ERROR, not retried', async () => {
    const logger = new CollectingLogger();
    const app = await apps.open(
      {
        broker: node.url,
        backend: 'memory://',
        defaultQueue: queue,
        brokerOptions: {
          tls: { cert: certs.clientCert, key: certs.clientKey },
        },
      },
      { logger },
    );
    const started = Date.now();
    const sent = app.get(TaskClient).send('tls.add', [1, 1]);
    await expect(sent).rejects.toBeInstanceOf(AmqpConfigurationError);
    await expect(sent).rejects.toThrow(
      /TLS certificate is not trusted \(SELF_SIGNED_CERT_IN_CHAIN.*give the CA that signed it as tls\.ca/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
    await sleep(1500);
    expect(logger.lines.filter((line) => line.startsWith('warn:'))).toEqual([]);
    expect(
      logger.lines.filter((line) => /^error: .*not trusted/.test(line)),
    ).toHaveLength(1);
  });

  it('a certificate not made for the host name is refused', async () => {
    const app = await apps.open(
      {
        broker: node.url,
        backend: 'memory://',
        defaultQueue: queue,
        brokerOptions: { tls: { ...trusted, servername: 'rabbit.example' } },
      },
      { logger: false },
    );
    const sent = app.get(TaskClient).send('tls.add', [1, 1]);
    await expect(sent).rejects.toBeInstanceOf(AmqpConfigurationError);
    await expect(sent).rejects.toThrow(
      /TLS certificate is not for this host name .*rabbit\.example/,
    );
  });

  it('TLS options on an amqp:// URL are refused at boot', async () => {
    await expect(
      apps.open(
        {
          broker: `amqp://guest:guest@127.0.0.1:${node.port}`,
          backend: 'memory://',
          brokerOptions: { tls: trusted },
        },
        { logger: false },
      ),
    ).rejects.toThrow('a URL without TLS: use amqps://');
  });
});
