import { TaskClient, TlsOptions } from '../../../lib';
import { RedisConfigurationError } from '../../../lib/drivers/redis/errors';
import { RedisTickLock } from '../../../lib/locks/redis/redis-tick-lock';
import { parseRate } from '../../../lib/rate-limit/rate';
import { RedisRateLimiter } from '../../../lib/rate-limit/redis/redis-rate-limiter';
import { PrivateRedisServer } from '../../support/private-redis-server';
import {
  TlsTasks,
  tlsRefusalCases,
  useTlsServer,
} from '../../support/tls-cases';
import { TestApps } from '../../support/test-apps';
import { uniqueName } from '../../support/wait';

/**
 * rediss:// against a redis-server of the test's own that speaks only TLS and asks
 * for a client certificate (mutual TLS), with certificates made for the run.
 */
describe('Redis over TLS (rediss://)', () => {
  const tls = useTlsServer((certs) => PrivateRedisServer.startTls(certs));
  const apps = new TestApps();
  const queue = uniqueName('tls-q');

  afterEach(() => apps.close());

  /** A worker app with its TaskClient, on `broker` and `backend` with these options. */
  async function worker(url: string, connection?: TlsOptions) {
    const app = await apps.open(
      {
        broker: url,
        backend: url,
        defaultQueue: queue,
        brokerOptions: connection && { tls: connection },
        backendOptions: connection && { tls: connection },
        worker: { queues: [queue] },
      },
      { providers: [TlsTasks], logger: false },
    );
    return app.get(TaskClient);
  }

  it('a task round-trips, broker and result backend, with the CA and a client certificate', async () => {
    const client = await worker(tls.server.url, tls.trusted);
    const sum = await client.send<number>('tls.add', [2, 3]);
    expect(await sum.get({ timeout: 10 })).toBe(5);
  });

  it("takes Celery's URL form: ?ssl_cert_reqs=required&ssl_ca_certs=...&ssl_certfile=...&ssl_keyfile=...", async () => {
    const query = new URLSearchParams({
      ssl_cert_reqs: 'required',
      ssl_ca_certs: tls.certs.ca,
      ssl_certfile: tls.certs.clientCert,
      ssl_keyfile: tls.certs.clientKey,
    });
    const client = await worker(`${tls.server.url}/0?${query.toString()}`);
    const sum = await client.send<number>('tls.add', [4, 5]);
    expect(await sum.get({ timeout: 10 })).toBe(9);
  });

  it('the tick lock and the rate limiter connect with the same TLS options', async () => {
    const lock = new RedisTickLock(tls.server.url, {
      keyPrefix: `${queue}:beat:`,
      tls: tls.trusted,
    });
    const limiter = new RedisRateLimiter(tls.server.url, {
      keyPrefix: `${queue}:rate:`,
      tls: tls.trusted,
    });
    try {
      expect(await lock.state('tls-schedule', 0)).toBeDefined();
      expect(await limiter.reserve('tls.add', parseRate('1/s')!)).toBe(0);
    } finally {
      await Promise.all([lock.close(), limiter.close()]);
    }
  });

  tlsRefusalCases({
    tls,
    apps,
    queue,
    configurationError: RedisConfigurationError,
    otherHost: 'redis.example',
  });

  it('TLS options on a redis:// URL are refused at boot', async () => {
    await expect(
      apps.open(
        {
          broker: `redis://127.0.0.1:${tls.server.port}`,
          backend: 'memory://',
          brokerOptions: { tls: tls.trusted },
        },
        { logger: false },
      ),
    ).rejects.toThrow('a URL without TLS: use rediss://');
  });
});
