import { RedisScript } from '../../../drivers/redis/script';

/**
 * Moves up to ARGV[2] dead letters, oldest first, back onto their queue's lists.
 * KEYS: dead list, wake. ARGV: key prefix + queue (the base list name), count.
 * Returns how many were replayed.
 */
export const replayDeadScript = new RedisScript(
  'replay-dead',
  `
local SEP = '\\6\\22'
local replayed = 0
for _ = 1, tonumber(ARGV[2]) do
  local record = redis.call('RPOP', KEYS[1])
  if not record then break end
  local env = cjson.decode(record).envelope
  if type(env) ~= 'string' then
    redis.call('LPUSH', KEYS[1], record)
    break
  end
  local ok, parsed = pcall(cjson.decode, env)
  local p = 0
  if ok and type(parsed) == 'table' and type(parsed.properties) == 'table' then
    p = tonumber(parsed.properties.priority) or 0
  end
  local key = ARGV[1]
  if p >= 9 then key = key .. SEP .. '9' elseif p >= 6 then key = key .. SEP .. '6'
  elseif p >= 3 then key = key .. SEP .. '3' end
  redis.call('LPUSH', key, env)
  replayed = replayed + 1
end
if replayed > 0 then redis.call('ZADD', KEYS[2], 0, '1') end
return replayed
`,
);
