-- Takes up to `count` messages, round-robin across the queues (in the order given)
-- and highest priority first within each, and records each as unacked in the same
-- atomic step: kombu's `unacked` entry and `unacked_index` score, and our lease.
-- First moves due messages from the queues' delay stores into their lists.
--
-- KEYS (3 + 6 per queue): unacked, unacked_index, leases, then per queue:
--       its four lists (highest priority first), delayed, wake.
-- ARGV: count, lease ms, max due messages to move per queue,
--       the queue names as JSON strings (one per queue), then a fresh tag prefix:
--       the messages taken get the tags <prefix>.1, <prefix>.2, ...
-- Returns {last queue served (0-based) or -1, server ms, next due ms or -1,
--          queue index, tag, envelope, queue index, tag, envelope, ...}.
-- @include server-time
local PER_QUEUE = 6
local n = (#KEYS - 3) / PER_QUEUE
local count = tonumber(ARGV[1])
local lease = tonumber(ARGV[2])
local move_limit = tonumber(ARGV[3])
local now_ms, now_s, now_text = server_time()
local next_due = -1

for q = 0, n - 1 do
  local base = 4 + q * PER_QUEUE
  local delayed = KEYS[base + 4]
  local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now_ms, 'LIMIT', 0, move_limit)
  if #due > 0 then
    for _, member in ipairs(due) do
      local slot = math.floor(((string.byte(member, 1) or 48) - 48) / 3)
      if slot < 0 or slot > 3 then slot = 0 end
      redis.call('LPUSH', KEYS[base + slot], string.sub(member, 2))
    end
    redis.call('ZREM', delayed, unpack(due))
  end
  local first = redis.call('ZRANGE', delayed, 0, 0, 'WITHSCORES')
  if first[2] then
    local score = tonumber(first[2])
    if next_due < 0 or score < next_due then next_due = score end
  end
end

local out = { -1, now_ms, next_due }
local taken = 0
local from = {}
for q = 0, n - 1 do from[q] = 0 end
local progress = true
while taken < count and progress do
  progress = false
  for q = 0, n - 1 do
    if taken >= count then break end
    if from[q] <= 3 then
      local base = 4 + q * PER_QUEUE
      local env = false
      while from[q] <= 3 do
        env = redis.call('RPOP', KEYS[base + from[q]])
        if env then break end
        from[q] = from[q] + 1
      end
      if env then
        progress = true
        taken = taken + 1
        out[1] = q
        local tag = ARGV[4 + n] .. '.' .. taken
        local value
        if string.byte(env, 1) == 123 then
          value = '[' .. env .. ', "", ' .. ARGV[3 + q + 1] .. ']'
        else
          value = '[' .. cjson.encode(env) .. ', "", ' .. ARGV[3 + q + 1] .. ']'
        end
        -- A command resent after a lost connection reuses its tags: never clobber.
        if redis.call('HSETNX', KEYS[1], tag, value) == 0 then
          tag = tag .. '.' .. now_text
          redis.call('HSET', KEYS[1], tag, value)
        end
        redis.call('ZADD', KEYS[2], now_s, tag)
        redis.call('ZADD', KEYS[3], now_ms + lease, tag)
        out[#out + 1] = q
        out[#out + 1] = tag
        out[#out + 1] = env
      end
    end
  end
end

-- Full batch: wake other idle consumers if anything is left.
if taken >= count then
  for q = 0, n - 1 do
    local base = 4 + q * PER_QUEUE
    for slot = from[q], 3 do
      if slot <= 3 and redis.call('LLEN', KEYS[base + slot]) > 0 then
        redis.call('ZADD', KEYS[base + 5], 0, '1')
        break
      end
    end
  end
end
return out
