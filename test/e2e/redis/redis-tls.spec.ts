import { Injectable } from '@nestjs/common';
import { Task, TaskClient, TlsOptions } from '../../../lib';
import { RedisConfigurationError } from '../../../lib/drivers/redis/errors';
import { RedisTickLock } from '../../../lib/locks/redis/redis-tick-lock';
import { parseRate } from '../../../lib/rate-limit/rate';
import { RedisRateLimiter } from '../../../lib/rate-limit/redis/redis-rate-limiter';
import { CollectingLogger } from '../../interop/support/nest-app';
import { PrivateRedisServer } from '../../support/private-redis-server';
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
 * rediss:// against a redis-server of the test's own that speaks only TLS and asks
 * for a client certificate (mutual TLS), with certificates made for the run.
 */
describe('Redis over TLS (rediss://)', () => {
  let certs: TestCertificates;
  let server: PrivateRedisServer;
  let trusted: TlsOptions;
  const apps = new TestApps();
  const queue = uniqueName('tls-q');

  beforeAll(async () => {
    certs = makeTestCertificates();
    server = await PrivateRedisServer.startTls(certs);
    trusted = { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey };
  });

  afterEach(() => apps.close());

  afterAll(async () => {
    await server?.stop();
    certs?.remove();
  });

  /** A worker app with its TaskClient, on `broker` and `backend` with these options. */
  async function worker(
    url: string,
    tls?: TlsOptions,
    logger?: CollectingLogger,
  ) {
    const app = await apps.open(
      {
        broker: url,
        backend: url,
        defaultQueue: queue,
        brokerOptions: tls && { tls },
        backendOptions: tls && { tls },
        worker: { queues: [queue] },
      },
      { providers: [TlsTasks], logger: logger ?? false },
    );
    return app.get(TaskClient);
  }

  it('a task round-trips, broker and result backend, with the CA and a client certificate', async () => {
    const client = await worker(server.url, trusted);
    const sum = await client.send<number>('tls.add', [2, 3]);
    expect(await sum.get({ timeout: 10 })).toBe(5);
  });

  it("takes Celery's URL form: ?ssl_cert_reqs=required&ssl_ca_certs=...&ssl_certfile=...&ssl_keyfile=...", async () => {
    const query = new URLSearchParams({
      ssl_cert_reqs: 'required',
      ssl_ca_certs: certs.ca,
      ssl_certfile: certs.clientCert,
      ssl_keyfile: certs.clientKey,
    });
    const client = await worker(`${server.url}/0?${query.toString()}`);
    const sum = await client.send<number>('tls.add', [4, 5]);
    expect(await sum.get({ timeout: 10 })).toBe(9);
  });

  it('the tick lock and the rate limiter connect with the same TLS options', async () => {
    const lock = new RedisTickLock(server.url, {
      keyPrefix: `${queue}:beat:`,
      tls: trusted,
    });
    const limiter = new RedisRateLimiter(server.url, {
      keyPrefix: `${queue}:rate:`,
      tls: trusted,
    });
    try {
      expect(await lock.state('tls-schedule', 0)).toBeDefined();
      expect(await limiter.reserve('tls.add', parseRate('1/s')!)).toBe(0);
    } finally {
      await Promise.all([lock.close(), limiter.close()]);
    }
  });

  it('a server certificate from an unknown CA is refused at once, logged once at ERROR, not retried', async () => {
    const logger = new CollectingLogger();
    const untrusting = { cert: certs.clientCert, key: certs.clientKey };
    const app = await apps.open(
      {
        broker: server.url,
        backend: 'memory://',
        defaultQueue: queue,
        brokerOptions: { tls: untrusting },
      },
      { logger },
    );
    const started = Date.now();
    const sent = app.get(TaskClient).send('tls.add', [1, 1]);
    await expect(sent).rejects.toBeInstanceOf(RedisConfigurationError);
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
        broker: server.url,
        backend: 'memory://',
        defaultQueue: queue,
        brokerOptions: { tls: { ...trusted, servername: 'redis.example' } },
      },
      { logger: false },
    );
    const sent = app.get(TaskClient).send('tls.add', [1, 1]);
    await expect(sent).rejects.toBeInstanceOf(RedisConfigurationError);
    await expect(sent).rejects.toThrow(
      /TLS certificate is not for this host name .*redis\.example/,
    );
  });

  it('TLS options on a redis:// URL are refused at boot', async () => {
    await expect(
      apps.open(
        {
          broker: `redis://127.0.0.1:${server.port}`,
          backend: 'memory://',
          brokerOptions: { tls: trusted },
        },
        { logger: false },
      ),
    ).rejects.toThrow('a URL without TLS: use rediss://');
  });
});
