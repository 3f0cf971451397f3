import { Injectable } from '@nestjs/common';
import { Task, TaskClient, TlsOptions } from '../../../lib';
import { RedisConfigurationError } from '../../../lib/drivers/redis/errors';
import { RedisTickLock } from '../../../lib/locks/redis/redis-tick-lock';
import { parseRate } from '../../../lib/rate-limit/rate';
import { RedisRateLimiter } from '../../../lib/rate-limit/redis/redis-rate-limiter';
import { SentinelFleet } from '../../support/sentinel-fleet';
import {
  TestCertificates,
  makeTestCertificates,
} from '../../support/test-certificates';
import { TestApps } from '../../support/test-apps';
import { sleep, uniqueName, waitUntil } from '../../support/wait';
import { quietLogger } from './redis-test-support';

@Injectable()
class SentinelTlsTasks {
  @Task('sentinel-tls.add')
  add(a: number, b: number): number {
    return a + b;
  }
}

/**
 * TLS through Sentinel: a master, a replica and three sentinels of the test's own that
 * speak only TLS and ask for a client certificate. `tls` goes to the master (kombu's
 * broker_use_ssl), `sentinel.tls` to the sentinels (kombu's sentinel_kwargs).
 */
describe('Redis Sentinel over TLS', () => {
  let certs: TestCertificates;
  let fleet: SentinelFleet;
  let trusted: TlsOptions;
  const apps = new TestApps();
  const queue = uniqueName('sentinel-tls');

  beforeAll(async () => {
    certs = makeTestCertificates();
    fleet = await SentinelFleet.start(certs);
    trusted = { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey };
  }, 60_000);

  afterEach(() => apps.close());

  afterAll(async () => {
    await fleet?.stop();
    certs?.remove();
  });

  it('a task round-trips, broker and result backend, and again on the new master after a failover', async () => {
    const connection = { tls: trusted, sentinel: { tls: trusted } };
    const app = await apps.open(
      {
        broker: fleet.url(),
        backend: fleet.url(1),
        defaultQueue: queue,
        worker: { queues: [queue] },
        brokerOptions: {
          ...connection,
          publishWaitMs: 30_000,
          logger: quietLogger(),
        },
        backendOptions: { ...connection, logger: quietLogger() },
      },
      { providers: [SentinelTlsTasks], logger: false },
    );
    const client = app.get(TaskClient);
    const before = await client.send<number>('sentinel-tls.add', [2, 3]);
    expect(await before.get({ timeout: 10 })).toBe(5);

    const oldMaster = await fleet.currentMaster();
    await fleet.kill(oldMaster);
    await waitUntil(
      async () => (await fleet.currentMaster()) !== oldMaster,
      30_000,
      'the sentinels to promote the replica',
    );
    // Back empty, as the new master's replica: publish waits for one (replicaAcks).
    await fleet.revive(oldMaster);
    const after = await client.send<number>('sentinel-tls.add', [4, 5]);
    expect(await after.get({ timeout: 30 })).toBe(9);
  }, 90_000);

  it('the tick lock and the rate limiter connect through the same TLS sentinels', async () => {
    const options = { tls: trusted, sentinel: { tls: trusted } };
    const lock = new RedisTickLock(fleet.url(), {
      ...options,
      keyPrefix: `${queue}:beat:`,
    });
    const limiter = new RedisRateLimiter(fleet.url(), {
      ...options,
      keyPrefix: `${queue}:rate:`,
    });
    try {
      expect(await lock.state('sentinel-tls-schedule', 0)).toBeDefined();
      expect(await limiter.reserve('sentinel-tls.add', parseRate('1/s')!)).toBe(
        0,
      );
    } finally {
      await Promise.all([lock.close(), limiter.close()]);
    }
  });

  it('a master certificate from an unknown CA is refused, saying to give the CA as tls.ca, logged once, not retried', async () => {
    const logger = quietLogger();
    const app = await apps.open(
      {
        broker: fleet.url(),
        backend: 'memory://',
        defaultQueue: queue,
        brokerOptions: {
          tls: { cert: certs.clientCert, key: certs.clientKey },
          sentinel: { tls: trusted },
          logger,
        },
      },
      { logger: false },
    );
    const sent = app.get(TaskClient).send('sentinel-tls.add', [1, 1]);
    await expect(sent).rejects.toBeInstanceOf(RedisConfigurationError);
    await expect(sent).rejects.toThrow(
      /TLS certificate is not trusted.*tls\.ca/,
    );
    await sleep(1500); // would a reconnection loop say more meanwhile?
    expect(logger.lines.filter((line) => line.startsWith('warn:'))).toEqual([]);
    expect(
      logger.lines.filter((line) => /^error: .*not trusted/.test(line)),
    ).toHaveLength(1);
  });
});
