import { parseRedisUrl } from '../../../../lib/drivers/redis';

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
});
