import { RedisRateLimiter } from '../../../../lib/rate-limit/redis/redis-rate-limiter';

describe('redis URLs', () => {
  it('are read by the rate limiter as by the broker', () => {
    // ioredis alone takes this URL (db NaN) and ignores ssl_cert_reqs; the broker refuses it.
    expect(
      () => new RedisRateLimiter('redis://:hunter2@localhost/abc'),
    ).toThrow(/db number/);
  });
});
