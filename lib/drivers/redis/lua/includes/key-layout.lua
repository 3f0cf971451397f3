-- Key names a script only learns at run time, built from the layout RedisKeys.luaLayout
-- (lib/transports/redis/keys.ts) passes as 5 ARGV: list prefix, kombu's separator,
-- binding prefix, wake prefix, dead-letter prefix. Nothing here spells a key itself.
local function key_layout(first)
  return {
    list = ARGV[first],
    sep = ARGV[first + 1],
    binding = ARGV[first + 2],
    wake = ARGV[first + 3],
    dead = ARGV[first + 4],
  }
end

-- kombu's bucket of a priority (keys.ts priorityBucket).
local function bucket_of(priority)
  local p = tonumber(priority) or 0
  if p >= 9 then return 9 elseif p >= 6 then return 6 elseif p >= 3 then return 3 end
  return 0
end

local function list_key(layout, queue, bucket)
  if bucket == 0 then return layout.list .. queue end
  return layout.list .. queue .. layout.sep .. bucket
end

local function binding_key(layout, exchange) return layout.binding .. exchange end
local function wake_key(layout, queue) return layout.wake .. queue end
local function dead_key(layout, queue) return layout.dead .. queue end
