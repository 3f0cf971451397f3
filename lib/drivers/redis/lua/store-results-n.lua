-- Writes each meta with its expiry and PUBLISHes it on the key's name, in one atomic
-- step, unless a SUCCESS is stored already (Celery never overwrites one).
-- KEYS: meta keys (any number). ARGV: per key, meta JSON and seconds to keep (0: no expiry).
for i = 1, #KEYS do
  local key, value, ttl = KEYS[i], ARGV[2 * i - 1], tonumber(ARGV[2 * i])
  local status = nil
  local current = redis.call('GET', key)
  if current then
    status = string.match(current, '^%s*{%s*"status"%s*:%s*"(%u+)"')
    if not status then
      local ok, meta = pcall(cjson.decode, current)
      if ok and type(meta) == 'table' then status = meta.status end
    end
  end
  if status ~= 'SUCCESS' then
    if ttl > 0 then
      redis.call('SETEX', key, ttl, value)
    else
      redis.call('SET', key, value)
    end
    redis.call('PUBLISH', key, value)
  end
end
return #KEYS
