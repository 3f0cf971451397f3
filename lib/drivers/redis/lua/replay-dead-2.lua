-- Moves up to ARGV[7] dead letters, oldest first, back onto the lists of their queue
-- ARGV[6] (by the priority of each envelope), and wakes its consumers.
-- KEYS: dead, wake. ARGV: the key layout (5), queue, count. Returns how many moved.
-- @include key-layout
local layout = key_layout(1)
local queue = ARGV[6]
local replayed = 0
for _ = 1, tonumber(ARGV[7]) do
  local record = redis.call('RPOP', KEYS[1])
  if not record then break end
  local env = cjson.decode(record).envelope
  if type(env) ~= 'string' then
    redis.call('RPUSH', KEYS[1], record)
    break
  end
  local ok, parsed = pcall(cjson.decode, env)
  local priority = 0
  if ok and type(parsed) == 'table' and type(parsed.properties) == 'table' then
    priority = parsed.properties.priority
  end
  redis.call('LPUSH', list_key(layout, queue, bucket_of(priority)), env)
  replayed = replayed + 1
end
if replayed > 0 then redis.call('ZADD', KEYS[2], 0, '1') end
return replayed
