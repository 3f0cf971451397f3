import { RedisTickLock } from '../../lib/locks/redis/redis-tick-lock';
import { RedisRateLimiter } from '../../lib/rate-limit/redis/redis-rate-limiter';
import { parseRedisUrl } from '../../lib/drivers/redis';

describe('redis URLs', () => {
  it('reads host, port, credentials, db number and TLS', () => {
    expect(parseRedisUrl('redis://localhost')).toEqual({
      host: 'localhost',
      port: 6379,
      db: 0,
    });
    expect(parseRedisUrl('redis://:s%40cret@cache:6380/2')).toEqual({
      host: 'cache',
      port: 6380,
      db: 2,
      password: 's@cret',
    });
    expect(parseRedisUrl('redis://celery:pw@cache/1')).toMatchObject({
      username: 'celery',
      password: 'pw',
      db: 1,
    });
    expect(parseRedisUrl('rediss://cache:6390/0')).toMatchObject({
      port: 6390,
      tls: { servername: 'cache', rejectUnauthorized: true },
    });
    expect(
      parseRedisUrl('rediss://cache?ssl_cert_reqs=CERT_NONE').tls,
    ).toMatchObject({ rejectUnauthorized: false });
  });

  it('refuses what it cannot use, without echoing the password', () => {
    expect(() => parseRedisUrl('amqp://guest:guest@localhost')).toThrow(
      /scheme "amqp:"/,
    );
    expect(() => parseRedisUrl('redis://:hunter2@localhost/abc')).toThrow(
      /db number/,
    );
    expect(() => parseRedisUrl('redis://:hunter2@localhost/abc')).not.toThrow(
      /hunter2/,
    );
  });

  it('is read the same way by the beat tick lock and the rate limiter', () => {
    // ioredis alone takes this URL (db NaN) and ignores ssl_cert_reqs; the broker refuses it.
    const url = 'redis://:hunter2@localhost/abc';
    expect(() => new RedisTickLock(url)).toThrow(/db number/);
    expect(() => new RedisRateLimiter(url)).toThrow(/db number/);
  });
});
