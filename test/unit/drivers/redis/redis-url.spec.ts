import { describeRedis, parseRedisUrl } from '../../../../lib/drivers/redis';

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

describe('parseRedisUrl: Redis Sentinel, as kombu writes it', () => {
  it('reads every sentinel of a ";"-joined URL, the master password, db and ?master_name', () => {
    expect(
      parseRedisUrl(
        'sentinel://:s3cret@10.0.0.1:26380/2?master_name=mymaster;sentinel://10.0.0.2;sentinel://[::1]:26381',
      ),
    ).toEqual({
      sentinels: [
        { host: '10.0.0.1', port: 26380 },
        { host: '10.0.0.2', port: 26379 },
        { host: '::1', port: 26381 },
      ],
      name: 'mymaster',
      password: 's3cret',
      db: 2,
    });
  });

  it('takes redis+sentinel:// as the same, and the master name and sentinel password from options', () => {
    expect(
      parseRedisUrl('redis+sentinel://127.0.0.1:5000', {
        masterName: 'm1',
        password: 'sentinel-pass',
      }),
    ).toEqual({
      sentinels: [{ host: '127.0.0.1', port: 5000 }],
      name: 'm1',
      db: 0,
      sentinelPassword: 'sentinel-pass',
    });
    expect(
      parseRedisUrl('sentinel://h:1?master_name=m&sentinel_password=p%40ss'),
    ).toMatchObject({ name: 'm', sentinelPassword: 'p@ss' });
  });

  it('refuses a URL without master name, saying how to give one', () => {
    expect(() => parseRedisUrl('sentinel://:pw@h:26379')).toThrow(
      /needs the master's name: add \?master_name=mymaster .* or set sentinel.masterName/,
    );
    expect(() => parseRedisUrl('sentinel://:pw@h:26379')).not.toThrow(/pw/);
  });

  it('refuses a part that is not sentinel://', () => {
    expect(() =>
      parseRedisUrl('sentinel://h:1?master_name=m;redis://h:2'),
    ).toThrow(/every part joined by ";" is a sentinel:\/\/ URL/);
  });

  it('TLS as kombu splits it: `tls` to the master (broker_use_ssl), `sentinel.tls` to the sentinels (sentinel_kwargs)', () => {
    const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const options = parseRedisUrl(
      'sentinel://sentinel-a:26379?master_name=m',
      { tls: { ca, servername: 'sentinels.example' } },
      { ca },
    );
    expect(options).toMatchObject({
      enableTLSForSentinelMode: true,
      tls: { ca: [ca], rejectUnauthorized: true },
      sentinelTLS: {
        ca: [ca],
        rejectUnauthorized: true,
        servername: 'sentinels.example',
      },
    });
    // Checked against each address Sentinel names, not the first sentinel's.
    expect(options.tls).not.toHaveProperty('servername');
  });

  it('without TLS options, plain TCP to the master and to the sentinels', () => {
    const options = parseRedisUrl('sentinel://h:1?master_name=m');
    expect(options.tls).toBeUndefined();
    expect(options.sentinelTLS).toBeUndefined();
    expect(options.enableTLSForSentinelMode).toBeUndefined();
  });

  it('names the sentinel setting that cannot be read', () => {
    expect(() =>
      parseRedisUrl('sentinel://h:1?master_name=m', {
        tls: { ca: '/nonexistent/ca.pem' },
      }),
    ).toThrow(/sentinel\.tls\.ca is neither PEM text nor a readable file/);
  });

  it('describes it without password', () => {
    expect(
      describeRedis(
        parseRedisUrl('sentinel://:pw@a:1;sentinel://b:2/3?master_name=m'),
      ),
    ).toBe('sentinel m (a:1,b:2)/3');
  });
});
