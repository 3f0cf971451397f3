import { RedisTickLock } from '../../../../lib/locks/redis/redis-tick-lock';

describe('redis URLs', () => {
  it('are read by the beat tick lock as by the broker', () => {
    // ioredis alone takes this URL (db NaN) and ignores ssl_cert_reqs; the broker refuses it.
    expect(() => new RedisTickLock('redis://:hunter2@localhost/abc')).toThrow(
      /db number/,
    );
  });
});
