import { readdirSync } from 'node:fs';
import {
  LUA_DIR,
  declaredKeyCount,
  readLua,
} from '../../../../lib/drivers/redis/lua-source';
import * as scripts from '../../../../lib/drivers/redis/scripts';
import { RedisScript } from '../../../../lib/drivers/redis/script';

const files = readdirSync(LUA_DIR)
  .filter((name) => name.endsWith('.lua'))
  .map((name) => name.replace(/\.lua$/, ''));

describe('lib/drivers/redis/lua', () => {
  it('holds the scripts of scripts.ts, no more and no fewer', () => {
    const catalogued = Object.values(scripts)
      .filter((value) => value instanceof RedisScript)
      .map((script) => script.name)
      .sort();
    expect(catalogued).toEqual([...files].sort());
  });

  it.each(files)('%s uses no KEYS beyond the count in its name', (name) => {
    const lua = readLua(name);
    const used = [...lua.matchAll(/KEYS\[(\d+)\]/g)].map((m) => Number(m[1]));
    const declared = declaredKeyCount(name);
    if (declared === undefined) {
      expect(lua).toMatch(/#KEYS/);
    } else {
      expect(Math.max(0, ...used)).toBeLessThanOrEqual(declared);
      expect(lua).not.toMatch(/#KEYS/);
    }
  });

  it.each(files)('%s spells no key name of its own', (name) => {
    const lua = readLua(name);
    expect(lua).not.toMatch(/@include/);
    expect(lua).not.toMatch(/_celeriac\.|_kombu\.|\\6\\22|celery-task-meta/);
  });

  it('expands an include once, where it is first named', () => {
    const lua = readLua('sweep-4');
    expect(lua.match(/local function key_layout/g)).toHaveLength(1);
    expect(lua.indexOf('local function server_time')).toBeLessThan(
      lua.indexOf("redis.call('EXISTS'"),
    );
  });

  it('refuses a script name without its key count', () => {
    expect(() => declaredKeyCount('fetch')).toThrow(/number of keys/);
    expect(declaredKeyCount('fetch-n')).toBeUndefined();
    expect(declaredKeyCount('requeue-5')).toBe(5);
  });

  it('a script checks the number of keys it is given', async () => {
    await expect(
      scripts.ackScript.run(undefined as never, ['one'], []),
    ).rejects.toThrow(/ack-3 takes 3 keys, got 1/);
  });
});
