import { BeatConfigurationError } from '../../../lib';
import { MemoryTickLock } from '../../../lib/locks/memory/memory-tick-lock';
import { RedisTickLock } from '../../../lib/locks/redis/redis-tick-lock';
import { createTickLockFactory } from '../../../lib/module/beat-connections';

const keyPrefix = 'celeriac:beat:';

describe("beat's tick lock store, chosen by URL", () => {
  it('is the memory broker’s own store on the memory broker, and Redis’s on Redis', async () => {
    expect(
      createTickLockFactory({ broker: 'memory://x' })({
        lockUrl: undefined,
        keyPrefix,
      }),
    ).toBeInstanceOf(MemoryTickLock);
    const redis = createTickLockFactory({ broker: 'redis://127.0.0.1:6379/0' })(
      { lockUrl: undefined, keyPrefix },
    );
    expect(redis).toBeInstanceOf(RedisTickLock);
    await redis.close();
  });

  it('must be given on RabbitMQ, and the error says what beat needs, without the password', () => {
    const make = () =>
      createTickLockFactory({ broker: 'amqp://guest:secret@rabbit:5672//' })({
        lockUrl: undefined,
        keyPrefix,
      });
    expect(make).toThrow(BeatConfigurationError);
    expect(make).toThrow(
      /beat needs a Redis for its fleet-wide tick lock.*beat: \{ lockUrl: 'redis:\/\/\.\.\.' \}/,
    );
    expect(make).toThrow(/amqp:\/\/guest:\*\*\*@rabbit/);
    expect(make).not.toThrow(/secret/);
  });

  it('is the Redis given as lockUrl on RabbitMQ, and refuses a store beat cannot use', async () => {
    const lock = createTickLockFactory({ broker: 'amqp://rabbit' })({
      lockUrl: 'redis://127.0.0.1:6379',
      keyPrefix,
    });
    expect(lock).toBeInstanceOf(RedisTickLock);
    await lock.close();
    expect(() =>
      createTickLockFactory({ broker: 'amqp://rabbit' })({
        lockUrl: 'amqp://rabbit',
        keyPrefix,
      }),
    ).toThrow(
      /beat lockUrl "amqp:\/\/rabbit": beat keeps its tick lock in Redis/,
    );
  });
});
