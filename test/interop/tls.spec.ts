import { Injectable } from '@nestjs/common';
import {
  Task,
  TaskClient,
  TaskQueueModuleOptions,
  TlsOptions,
} from '../../lib';
import { PrivateRabbitMqNode } from '../support/private-rabbitmq-node';
import { PrivateRedisServer } from '../support/private-redis-server';
import {
  TestCertificates,
  makeTestCertificates,
} from '../support/test-certificates';
import { TestApps } from '../support/test-apps';
import { uniqueName } from '../support/wait';
import {
  CeleryConfig,
  CeleryWorker,
  sendFromPython,
  stopPythonProcesses,
} from './support/python';

@Injectable()
class TlsInteropTasks {
  @Task('nest.tls_mul')
  mul(a: number, b: number): number {
    return a * b;
  }
}

/** A TLS server of the test's own, as the e2e TLS tests start them. */
interface TlsSide {
  label: string;
  start(
    certs: TestCertificates,
  ): Promise<{ url: string; stop(): Promise<void> }>;
  /** Where results go: the same Redis over TLS, or rpc:// on the same TLS connection. */
  backend(url: string): string;
}

const SIDES: TlsSide[] = [
  {
    label: 'rediss://',
    start: (certs) => PrivateRedisServer.startTls(certs),
    backend: (url) => `${url}/1`,
  },
  {
    label: 'amqps://',
    start: (certs) => PrivateRabbitMqNode.startTls(certs),
    backend: () => 'rpc://',
  },
];

/**
 * Python Celery 5.2 (broker_use_ssl, redis_backend_use_ssl) and a Nest app (`tls`
 * options) on the same TLS-only servers, client certificates required: each runs a
 * task the other sends and reads its result.
 */
describe.each(SIDES)('interop over TLS: $label', (side) => {
  let certs: TestCertificates;
  let server: { url: string; stop(): Promise<void> };
  let config: CeleryConfig;
  let client: TaskClient;
  const apps = new TestApps();
  const pyQueue = uniqueName('tls-py');
  const nestQueue = uniqueName('tls-nest');

  beforeAll(async () => {
    certs = makeTestCertificates();
    server = await side.start(certs);
    const tls: TlsOptions = {
      ca: certs.ca,
      cert: certs.clientCert,
      key: certs.clientKey,
    };
    config = {
      brokerUrl: server.url,
      backendUrl: side.backend(server.url),
      tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey },
    };
    const options: TaskQueueModuleOptions = {
      broker: server.url,
      backend: side.backend(server.url),
      defaultQueue: pyQueue,
      brokerOptions: { tls },
      ...(side.backend(server.url) === 'rpc://'
        ? {}
        : { backendOptions: { tls } }),
      worker: { queues: [nestQueue] },
    };
    const [, app] = await Promise.all([
      CeleryWorker.start({ name: 'tls', queues: [pyQueue], config }),
      apps.open(options, { providers: [TlsInteropTasks], logger: false }),
    ]);
    client = app.get(TaskClient);
  }, 180_000);

  afterAll(async () => {
    await apps.close();
    await stopPythonProcesses();
    await server?.stop();
    certs?.remove();
  }, 60_000);

  it('Nest sends, a Python worker runs it, Nest reads the result', async () => {
    const sum = await client.send<number>('py.add', [2, 3]);
    expect(await sum.get({ timeout: 20 })).toBe(5);
  });

  it('Python sends, a Nest worker runs it, Python reads the result', async () => {
    const { calls } = await sendFromPython(config, {
      calls: [
        {
          name: 'nest.tls_mul',
          args: [4, 5],
          options: { queue: nestQueue },
          wait: 20,
        },
      ],
    });
    expect(calls[0]).toMatchObject({ state: 'SUCCESS', result: 20 });
  });
});
