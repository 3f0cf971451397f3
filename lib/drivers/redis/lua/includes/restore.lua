-- @include key-layout

-- Sets delivery_info.redelivered without re-encoding the envelope (cjson would turn
-- [] into {} and round numbers).
local function mark_redelivered(env)
  if string.find(env, '"redelivered"%s*:%s*true') then return env end
  local replaced, n = string.gsub(env, '("redelivered"%s*:%s*)false', '%1true', 1)
  if n > 0 then return replaced end
  local _, e = string.find(env, '"delivery_info"%s*:%s*{')
  if not e then return env end
  local rest = string.sub(env, e + 1)
  if string.find(rest, '^%s*}') then
    return string.sub(env, 1, e) .. '"redelivered": true' .. rest
  end
  return string.sub(env, 1, e) .. '"redelivered": true, ' .. rest
end

-- Index of the '}' closing the JSON object that opens at s[start].
local function object_end(s, start)
  local depth, i, n = 0, start, #s
  while i <= n do
    local c = string.byte(s, i)
    if c == 34 then
      i = i + 1
      while true do
        local q = string.find(s, '["\\]', i)
        if not q then return nil end
        if string.byte(s, q) == 92 then i = q + 2 else i = q + 1; break end
      end
    else
      if c == 123 or c == 91 then
        depth = depth + 1
      elseif c == 125 or c == 93 then
        depth = depth - 1
        if depth == 0 then return i end
      end
      i = i + 1
    end
  end
  return nil
end

-- kombu's _lookup: the default exchange routes to the queue named by the routing key;
-- a named exchange to the queues bound with that routing key.
local function lookup(layout, exchange, routing_key)
  if type(routing_key) ~= 'string' then routing_key = '' end
  if type(exchange) ~= 'string' or exchange == '' then return { routing_key } end
  local found = {}
  local sep = layout.sep
  for _, member in ipairs(redis.call('SMEMBERS', binding_key(layout, exchange))) do
    local a = string.find(member, sep, 1, true)
    local b = a and string.find(member, sep, a + #sep, true)
    if b and string.sub(member, 1, a - 1) == routing_key then
      found[#found + 1] = string.sub(member, b + #sep)
    end
  end
  if #found == 0 then found[1] = routing_key end
  return found
end

local function dead_letter(layout, queue, raw, reason, now_ms)
  local record = cjson.encode({ queue = queue, reason = reason, at = now_ms, envelope = raw })
  redis.call('LPUSH', dead_key(layout, queue), record)
end

-- Puts an unacked entry '[envelope, exchange, routing_key]' back at the front of its
-- queue (RPUSH, as kombu's restore does), marked redelivered. Returns the queues.
local function restore_entry(layout, value, now_ms)
  local ok, entry = pcall(cjson.decode, value)
  if not ok or type(entry) ~= 'table' then
    dead_letter(layout, '', value, 'unacked entry is not JSON', now_ms)
    return {}
  end
  local text, bucket
  if type(entry[1]) == 'string' then
    text, bucket = entry[1], 0
  elseif type(entry[1]) == 'table' then
    local s = string.find(value, '{', 1, true)
    local e = s and object_end(value, s)
    if not e then
      dead_letter(layout, '', value, 'unacked entry is not [envelope, exchange, routing_key]', now_ms)
      return {}
    end
    text = mark_redelivered(string.sub(value, s, e))
    local props = entry[1].properties
    bucket = bucket_of(type(props) == 'table' and props.priority or 0)
  else
    dead_letter(layout, '', value, 'unacked entry is not [envelope, exchange, routing_key]', now_ms)
    return {}
  end
  local queues = lookup(layout, entry[2], entry[3])
  for _, queue in ipairs(queues) do
    if queue == '' then
      dead_letter(layout, '', text, 'restored message has no queue', now_ms)
    else
      redis.call('RPUSH', list_key(layout, queue, bucket), text)
      redis.call('ZADD', wake_key(layout, queue), 0, '1')
    end
  end
  return queues
end

-- Removes a delivery from kombu's indices and our leases; restores it when it was there.
local function restore_tag(layout, unacked, index, leases, tag, now_ms)
  local value = redis.call('HGET', unacked, tag)
  redis.call('HDEL', unacked, tag)
  redis.call('ZREM', index, tag)
  redis.call('ZREM', leases, tag)
  if value then
    restore_entry(layout, value, now_ms)
    return 1
  end
  return 0
end
