import { runInNewContext } from 'node:vm';
import { UnknownOptionError } from '../../../lib';
import { resolveOptions } from '../../../lib/options/resolve-options';

function refusal(run: () => unknown): UnknownOptionError {
  try {
    run();
  } catch (error) {
    if (error instanceof UnknownOptionError) return error;
    throw error;
  }
  throw new Error('no UnknownOptionError was thrown');
}

describe('brokerOptions and backendOptions, checked per URL scheme', () => {
  it('takes the options of the broker and backend the URLs name', () => {
    expect(
      resolveOptions({
        broker: 'rediss://cache:6380/2',
        brokerOptions: { keyPrefix: 'a:', leaseMs: 10_000 },
        backendOptions: { keyPrefix: 'a:', connectionName: 'results' },
      }).brokerOptions,
    ).toEqual({ keyPrefix: 'a:', leaseMs: 10_000 });
    expect(() =>
      resolveOptions({
        broker: 'amqp://localhost',
        brokerOptions: { delayPrefix: 'd', queues: { q: { maxPriority: 9 } } },
        backendOptions: { replyQueueDurable: true },
      }),
    ).not.toThrow();
  });

  it('takes the quorum queue options of an AMQP broker and the PostgreSQL backend’s, and refuses a Redis key there', () => {
    expect(() =>
      resolveOptions({
        broker: 'amqp://localhost',
        brokerOptions: {
          queueType: 'quorum',
          exchangeType: 'topic',
          queues: { q: { queueType: 'quorum', deliveryLimit: 3 } },
          celeryDelayQueueType: 'quorum',
          celeryDelayPrefix: 'app',
        },
        backend: 'db+postgresql://u@db/jobs',
        backendOptions: {
          schema: 'jobs',
          pollIntervalMs: 100,
          pool: { max: 2 },
        },
      }),
    ).not.toThrow();
    const error = refusal(() =>
      resolveOptions({
        broker: 'redis://localhost',
        backend: 'db+postgresql://u@db/jobs',
        backendOptions: { keyPrefix: 'a:' } as never,
      }),
    );
    expect(error.option).toBe('backendOptions.keyPrefix');
    expect(error.message).toContain('db+postgresql://');
  });

  it('refuses a misspelled key, naming it and what the broker takes', () => {
    const error = refusal(() =>
      resolveOptions({
        broker: 'redis://localhost',
        brokerOptions: { keyPrefx: 'a:' } as never,
      }),
    );
    expect(error.option).toBe('brokerOptions.keyPrefx');
    expect(error.message).toMatch(
      /^brokerOptions\.keyPrefx is not an option of the redis:\/\/ broker; its options are keyPrefix, leaseMs/,
    );
  });

  it("refuses another scheme's key: keyPrefix on RabbitMQ, on rpc://, anything on memory://", () => {
    expect(
      refusal(() =>
        resolveOptions({
          broker: 'amqp://localhost',
          brokerOptions: { keyPrefix: 'a:' },
        }),
      ).message,
    ).toContain(
      'brokerOptions.keyPrefix is not an option of the amqp:// broker',
    );
    expect(
      refusal(() =>
        resolveOptions({
          broker: 'amqps://localhost',
          backendOptions: { keyPrefix: 'a:' },
        }),
      ).message,
    ).toContain(
      'backendOptions.keyPrefix is not an option of the rpc:// result backend',
    );
    expect(
      refusal(() => resolveOptions({ brokerOptions: { keyPrefix: 'a:' } }))
        .message,
    ).toBe(
      'brokerOptions.keyPrefix is not an option of the memory:// broker; it takes no options',
    );
  });

  it('an unknown key written in the module options does not compile either', () => {
    expect(() =>
      // @ts-expect-error not a broker option of any scheme
      resolveOptions({ broker: 'redis://', brokerOptions: { nope: 1 } }),
    ).toThrow(UnknownOptionError);
  });

  it('checks the keys inside tls and sentinel too, naming the path', () => {
    expect(() =>
      resolveOptions({
        broker: 'sentinel://s1:26379',
        brokerOptions: {
          sentinel: {
            masterName: 'mymaster',
            password: 'p',
            tls: { ca: 'ca.pem', servername: 's' },
          },
          tls: { ca: 'ca.pem', cert: 'c.pem', key: 'k.pem' },
        },
        backend: 'amqp://x',
      }),
    ).not.toThrow();
    const inSentinel = refusal(() =>
      resolveOptions({
        broker: 'sentinel://s1:26379',
        brokerOptions: { sentinel: { master_name: 'mymaster' } as never },
      }),
    );
    expect(inSentinel.option).toBe('brokerOptions.sentinel.master_name');
    expect(inSentinel.message).toBe(
      'brokerOptions.sentinel.master_name is not an option of the sentinel:// broker; its options are masterName, password, tls',
    );
    const inSentinelTls = refusal(() =>
      resolveOptions({
        broker: 'redis://localhost',
        backend: 'sentinel://s1:26379',
        backendOptions: {
          sentinel: { tls: { caFile: 'ca.pem' } as never },
        },
      }),
    );
    expect(inSentinelTls.option).toBe('backendOptions.sentinel.tls.caFile');
    expect(inSentinelTls.message).toContain(
      'its options are ca, cert, key, servername, rejectUnauthorized',
    );
    expect(
      refusal(() =>
        resolveOptions({
          broker: 'amqps://localhost',
          brokerOptions: { tls: { minVersion: 'TLSv1.3' } as never },
        }),
      ).option,
    ).toBe('brokerOptions.tls.minVersion');
  });

  it('checks a tls object of no prototype or from another realm too', () => {
    const bare = Object.assign(Object.create(null) as object, {
      minVersion: 'TLSv1.3',
    });
    expect(
      refusal(() =>
        resolveOptions({
          broker: 'amqps://localhost',
          brokerOptions: { tls: bare as never },
        }),
      ).option,
    ).toBe('brokerOptions.tls.minVersion');
    const foreign = runInNewContext('({ minVersion: "TLSv1.3" })') as object;
    expect(
      refusal(() =>
        resolveOptions({
          broker: 'rediss://localhost',
          brokerOptions: { tls: foreign },
        }),
      ).option,
    ).toBe('brokerOptions.tls.minVersion');
  });
});
