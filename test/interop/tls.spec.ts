import { Injectable } from '@nestjs/common';
import {
  Task,
  TaskClient,
  TaskQueueModuleOptions,
  TlsOptions,
} from '../../lib';
import { PrivateRabbitMqNode } from '../support/private-rabbitmq-node';
import { PrivateRedisServer } from '../support/private-redis-server';
import { MASTER_NAME, SentinelFleet } from '../support/sentinel-fleet';
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

/** Servers of the test's own that speak only TLS, and how each side reaches them. */
interface TlsServers {
  /** Nest's broker and backend URLs, and their options beyond `tls`. */
  nest: Pick<TaskQueueModuleOptions, 'broker' | 'backend'> & {
    sentinel?: boolean;
  };
  /** Python's: the same servers in Celery's terms. */
  python: Pick<CeleryConfig, 'brokerUrl' | 'backendUrl' | 'sentinelMaster'>;
  stop(): Promise<void>;
}

interface TlsSide {
  label: string;
  start(certs: TestCertificates): Promise<TlsServers>;
}

const SIDES: TlsSide[] = [
  {
    label: 'rediss://',
    start: async (certs) => {
      const server = await PrivateRedisServer.startTls(certs);
      const [broker, backend] = [server.url, `${server.url}/1`];
      return {
        nest: { broker, backend },
        python: { brokerUrl: broker, backendUrl: backend },
        stop: () => server.stop(),
      };
    },
  },
  {
    label: 'amqps:// (results over rpc://)',
    start: async (certs) => {
      const node = await PrivateRabbitMqNode.startTls(certs);
      return {
        nest: { broker: node.url, backend: 'rpc://' },
        python: { brokerUrl: node.url, backendUrl: 'rpc://' },
        stop: () => node.stop(),
      };
    },
  },
  {
    label: 'sentinel:// (master and sentinels over TLS)',
    start: async (certs) => {
      const fleet = await SentinelFleet.start(certs);
      // kombu takes master_name as a transport option, not on the URL.
      const plain = (url: string) => url.replace(/\?.*$/, '');
      return {
        nest: { broker: fleet.url(), backend: fleet.url(1), sentinel: true },
        python: {
          brokerUrl: plain(fleet.url()),
          backendUrl: plain(fleet.url(1)),
          sentinelMaster: MASTER_NAME,
        },
        stop: () => fleet.stop(),
      };
    },
  },
];

/**
 * Python Celery 5.2 (broker_use_ssl, redis_backend_use_ssl; sentinel_kwargs through
 * Sentinel) and a Nest app (`tls`, `sentinel.tls`) on the same TLS-only servers, client
 * certificates required: each runs a task the other sends and reads its result.
 */
describe.each(SIDES)('interop over TLS: $label', (side) => {
  let certs: TestCertificates;
  let servers: TlsServers;
  let config: CeleryConfig;
  let client: TaskClient;
  const apps = new TestApps();
  const pyQueue = uniqueName('tls-py');
  const nestQueue = uniqueName('tls-nest');

  beforeAll(async () => {
    certs = makeTestCertificates();
    servers = await side.start(certs);
    const tls: TlsOptions = {
      ca: certs.ca,
      cert: certs.clientCert,
      key: certs.clientKey,
    };
    config = {
      ...servers.python,
      tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey },
    };
    const { broker, backend, sentinel } = servers.nest;
    const connection = sentinel ? { tls, sentinel: { tls } } : { tls };
    const options: TaskQueueModuleOptions = {
      broker,
      backend,
      defaultQueue: pyQueue,
      brokerOptions: connection,
      ...(backend === 'rpc://' ? {} : { backendOptions: connection }),
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
    await servers?.stop();
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
