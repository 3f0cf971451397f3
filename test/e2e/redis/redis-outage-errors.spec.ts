import { join } from 'node:path';
import { PrivateRedisServer } from '../../support/private-redis-server';
import {
  exited,
  killAndWait,
  spawnTs,
  waitForLine,
} from '../../support/spawn-ts';
import { sleep, uniqueName } from '../../support/wait';

const APP = join(__dirname, '..', '..', 'support', 'redis-outage-app.child.ts');

/**
 * Every Redis connection an app opens has an 'error' listener: a Redis that goes away is
 * told by the library's logger, never by ioredis' "[ioredis] Unhandled error event" on
 * stderr (which the chaos suite's producer once printed).
 */
describe('redis: an app whose Redis goes away', () => {
  let server: PrivateRedisServer;

  beforeAll(async () => {
    server = await PrivateRedisServer.start();
  });

  afterAll(async () => {
    await server?.stop(); // its keys go with it
  });

  it('prints no unhandled error event while Redis is down, and works again once it is back', async () => {
    const queue = uniqueName('outage');
    const app = spawnTs(APP, {
      OUTAGE_REDIS_URL: server.url,
      OUTAGE_QUEUE: queue,
    });
    let stderr = '';
    app.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      expect(await waitForLine(app, /^ready|^failed/, 60_000)).toBe('ready 3');
      await server.kill();
      await waitForLine(app, /redis transport .*reconnecting/, 10_000);
      // Every connection fails to reconnect more than once meanwhile (ioredis' backoff
      // is at most 1 s here; beat ticks, the fetch loop and the lease renewal retry).
      await sleep(3000);
      await server.restart();
      app.kill('SIGUSR2');
      expect(await waitForLine(app, /^result|^failed/, 60_000)).toBe(
        'result 5',
      );
      await exited(app);
      expect(stderr).not.toMatch(/Unhandled error event/);
      expect(app.exitCode).toBe(0);
    } finally {
      await killAndWait(app);
    }
  }, 120_000);
});
