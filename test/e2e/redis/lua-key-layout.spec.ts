import Redis from 'ioredis';
import { expandIncludes } from '../../../lib/drivers/redis/lua-source';
import {
  PRIORITY_STEPS,
  RedisKeys,
  priorityBucket,
} from '../../../lib/transports/redis/keys';
import { REDIS_URL } from './redis-test-support';

/**
 * The Lua scripts build the keys of a queue they learn at run time with key-layout.lua,
 * from the layout RedisKeys.luaLayout passes them. Both builders must name the same keys:
 * this runs the Lua builders on Redis and compares them with keys.ts.
 */
const PROBE = `-- @include key-layout
local layout = key_layout(1)
local queue = ARGV[6]
local out = {}
for _, bucket in ipairs({ 0, 3, 6, 9 }) do out[#out + 1] = list_key(layout, queue, bucket) end
out[#out + 1] = binding_key(layout, queue)
out[#out + 1] = wake_key(layout, queue)
out[#out + 1] = dead_key(layout, queue)
for i = 7, #ARGV do out[#out + 1] = tostring(bucket_of(ARGV[i])) end
return out
`;
const PRIORITIES = ['0', '1', '2', '3', '5', '6', '8', '9', '10', 'x', '-1'];

describe('Lua and keys.ts name the same keys', () => {
  const redis = new Redis(REDIS_URL);
  afterAll(() => redis.quit());

  it.each([
    ['', 'celery'],
    ['', 'videos.high'],
    ['app1:', 'celery'],
    ['{tenant}/', 'q with spaces, ünïcode'],
  ])('prefix %j, queue %j', async (prefix, queue) => {
    const keys = new RedisKeys(prefix);
    const fromLua = (await redis.eval(
      expandIncludes(PROBE),
      0,
      ...keys.luaLayout,
      queue,
      ...PRIORITIES,
    )) as string[];
    expect(fromLua).toEqual([
      ...PRIORITY_STEPS.map((bucket) => keys.list(queue, bucket)),
      keys.binding(queue),
      keys.wake(queue),
      keys.dead(queue),
      ...PRIORITIES.map((p) => String(priorityBucket(p))),
    ]);
  });
});
