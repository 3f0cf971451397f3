import Redis from 'ioredis';
import { RedisResultBackend } from '../../../lib/results/redis/redis-result-backend';
import { sleep, waitUntil } from '../../support/wait';
import { REDIS_URL, deletePrefix, uniquePrefix } from './redis-test-support';

/** RevocationStore on Redis: one sorted set, `<keyPrefix>celeriac-revoked`. */
describe('RedisResultBackend revocation store', () => {
  const redis = new Redis(REDIS_URL);
  const backends: RedisResultBackend[] = [];
  const prefixes: string[] = [];
  let prefix: string;
  let key: string;
  let backend: RedisResultBackend;

  const open = (keyPrefix = prefix): RedisResultBackend => {
    const opened = RedisResultBackend.fromUrl(REDIS_URL, { keyPrefix });
    backends.push(opened);
    return opened;
  };
  const score = async (id: string) => Number(await redis.zscore(key, id));

  beforeEach(() => {
    prefix = uniquePrefix('revoked');
    prefixes.push(prefix);
    key = `${prefix}celeriac-revoked`;
    backend = open();
  });

  afterEach(async () => {
    await Promise.all(backends.splice(0).map((each) => each.close()));
    for (const each of prefixes.splice(0)) await deletePrefix(redis, each);
  });

  afterAll(async () => {
    await redis.quit();
  });

  it('keeps ids in a sorted set scored by their expiry (ms), and lists them', async () => {
    const before = Date.now();
    await backend.addRevoked(['a', 'b'], 60);
    const after = Date.now();

    expect(await redis.type(key)).toBe('zset');
    const listed = await backend.listRevoked();
    expect(listed.map((entry) => entry.taskId).sort()).toEqual(['a', 'b']);
    for (const entry of listed) {
      expect(entry.expiresAt).toBeInstanceOf(Date);
      expect(entry.expiresAt.getTime()).toBe(await score(entry.taskId));
      // Redis' clock; the same host's, give or take a little.
      expect(entry.expiresAt.getTime()).toBeGreaterThanOrEqual(
        before + 60_000 - 50,
      );
      expect(entry.expiresAt.getTime()).toBeLessThanOrEqual(
        after + 60_000 + 50,
      );
    }
    // The key itself goes when its last id does.
    const pttl = await redis.pttl(key);
    expect(pttl).toBeGreaterThan(59_000);
    expect(pttl).toBeLessThanOrEqual(60_000);
  });

  it('keeps the later expiry of an id added again (ZADD GT), and the key lives as long', async () => {
    await backend.addRevoked(['a'], 60);
    const first = await score('a');
    await backend.addRevoked(['a'], 1);
    expect(await score('a')).toBe(first);
    expect(await redis.pttl(key)).toBeGreaterThan(59_000);

    await backend.addRevoked(['a', 'b'], 120);
    expect(await score('a')).toBeGreaterThanOrEqual(first + 59_000);
    expect(await score('b')).toBe(await score('a'));
    expect(await redis.pttl(key)).toBeGreaterThan(119_000);

    // A shorter add of another id does not shorten the key's life.
    await backend.addRevoked(['c'], 1);
    expect(await redis.pttl(key)).toBeGreaterThan(119_000);
  });

  it('drops the ids that expired when it lists, and the key expires with its last id', async () => {
    await backend.addRevoked(['kept'], 60);
    await backend.addRevoked(['gone'], 0.05);
    expect(await redis.zcard(key)).toBe(2);
    await sleep(100);
    expect(await backend.listRevoked()).toEqual([
      { taskId: 'kept', expiresAt: new Date(await score('kept')) },
    ]);
    expect(await redis.zscore(key, 'gone')).toBeNull();

    await redis.del(key);
    await backend.addRevoked(['x', 'y'], 0.1);
    await waitUntil(
      async () => (await redis.exists(key)) === 0,
      3000,
      'the key to expire',
    );
    expect(await backend.listRevoked()).toEqual([]);
  });

  it('is shared by every backend with the same prefix, and by no other', async () => {
    await backend.addRevoked(['shared'], 60);
    expect((await open().listRevoked()).map((entry) => entry.taskId)).toEqual([
      'shared',
    ]);
    const other = uniquePrefix('revoked-other');
    prefixes.push(other);
    expect(await open(other).listRevoked()).toEqual([]);
  });

  it('does nothing for no ids, and refuses a ttl that is not a positive number', async () => {
    await backend.addRevoked([], 60);
    expect(await redis.exists(key)).toBe(0);
    await expect(backend.addRevoked(['a'], 0)).rejects.toThrow(RangeError);
    await expect(backend.addRevoked(['a'], Number.NaN)).rejects.toThrow(
      /ttlSeconds must be a positive number/,
    );
    expect(await redis.exists(key)).toBe(0);
  });
});
