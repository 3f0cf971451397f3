import { TaskClient } from '../../../lib';
import { RedisConfigurationError } from '../../../lib/drivers/redis/errors';
import { RedisTickLock } from '../../../lib/locks/redis/redis-tick-lock';
import { parseRate } from '../../../lib/rate-limit/rate';
import { RedisRateLimiter } from '../../../lib/rate-limit/redis/redis-rate-limiter';
import { SentinelFleet } from '../../support/sentinel-fleet';
import { TlsTasks, useTlsServer } from '../../support/tls-cases';
import { TestApps } from '../../support/test-apps';
import { sleep, uniqueName, waitUntil } from '../../support/wait';
import { quietLogger } from './redis-test-support';

/**
 * TLS through Sentinel: a master, a replica and three sentinels of the test's own that
 * speak only TLS and ask for a client certificate. `tls` goes to the master (kombu's
 * broker_use_ssl), `sentinel.tls` to the sentinels (kombu's sentinel_kwargs).
 */
describe('Redis Sentinel over TLS', () => {
  const tls = useTlsServer((certs) => SentinelFleet.start(certs));
  const apps = new TestApps();
  const queue = uniqueName('sentinel-tls');

  afterEach(() => apps.close());

  it('a task round-trips, broker and result backend, and again on the new master after a failover', async () => {
    const connection = { tls: tls.trusted, sentinel: { tls: tls.trusted } };
    const app = await apps.open(
      {
        broker: tls.server.url(),
        backend: tls.server.url(1),
        defaultQueue: queue,
        worker: { queues: [queue] },
        brokerOptions: {
          ...connection,
          publishWaitMs: 30_000,
          logger: quietLogger(),
        },
        backendOptions: { ...connection, logger: quietLogger() },
      },
      { providers: [TlsTasks], logger: false },
    );
    const client = app.get(TaskClient);
    const before = await client.send<number>('tls.add', [2, 3]);
    expect(await before.get({ timeout: 10 })).toBe(5);

    const oldMaster = await tls.server.currentMaster();
    await tls.server.kill(oldMaster);
    await waitUntil(
      async () => (await tls.server.currentMaster()) !== oldMaster,
      30_000,
      'the sentinels to promote the replica',
    );
    // Back empty, as the new master's replica: publish waits for one (replicaAcks).
    await tls.server.revive(oldMaster);
    const after = await client.send<number>('tls.add', [4, 5]);
    expect(await after.get({ timeout: 30 })).toBe(9);
  }, 90_000);

  it('the tick lock and the rate limiter connect through the same TLS sentinels', async () => {
    const options = { tls: tls.trusted, sentinel: { tls: tls.trusted } };
    const lock = new RedisTickLock(tls.server.url(), {
      ...options,
      keyPrefix: `${queue}:beat:`,
    });
    const limiter = new RedisRateLimiter(tls.server.url(), {
      ...options,
      keyPrefix: `${queue}:rate:`,
    });
    try {
      expect(await lock.state('sentinel-tls-schedule', 0)).toBeDefined();
      expect(await limiter.reserve('tls.add', parseRate('1/s')!)).toBe(0);
    } finally {
      await Promise.all([lock.close(), limiter.close()]);
    }
  });

  it('a master certificate from an unknown CA is refused, saying to give the CA as tls.ca, logged once, not retried', async () => {
    const logger = quietLogger();
    const app = await apps.open(
      {
        broker: tls.server.url(),
        backend: 'memory://',
        defaultQueue: queue,
        brokerOptions: {
          tls: { cert: tls.certs.clientCert, key: tls.certs.clientKey },
          sentinel: { tls: tls.trusted },
          logger,
        },
      },
      { logger: false },
    );
    const sent = app.get(TaskClient).send('tls.add', [1, 1]);
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
