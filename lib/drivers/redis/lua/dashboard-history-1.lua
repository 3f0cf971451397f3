-- Merges task event patches into the dashboard's history, then trims it
-- (lib/dashboard/history/redis-task-history.ts holds the key layout and the rule,
-- lib/events/task-patch.ts (applyTaskPatch) the same rule in memory).
-- KEYS: all (the zset of every task by first-seen time; the other keys share its prefix).
-- ARGV: prefix, maxTasks, cutoff (seconds: older tasks go), ttl (seconds), patch JSON...
-- (no patch: it only trims). Returns 1 while tasks past a cap are left, else 0.
-- A patch: {id, at, state, stamp, worker, text = {field = value}, numbers = {field = value},
-- terminated}. Applying one twice changes nothing more (several app instances do).
local all = KEYS[1]
local prefix = ARGV[1]
local maxTasks = tonumber(ARGV[2])
local cutoff = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])

local function present(value)
  if value == false or value == nil or value == cjson.null then return nil end
  return value
end

-- A name or worker's place in the suggestions (the names or workers zset): the first-seen
-- time of its newest task kept, the top of its index, as memory's facets rank it; a value
-- whose index is empty stops being suggested.
local function rank(facet, kind, value)
  local top = redis.call('ZREVRANGE', prefix .. kind .. ':' .. value, 0, 0, 'WITHSCORES')
  if top[2] then
    redis.call('ZADD', prefix .. facet, top[2], value)
  else
    redis.call('ZREM', prefix .. facet, value)
  end
end

-- Moves id between the indexes kind:before and kind:after. With a facet, the value it
-- leaves is ranked again (out of the suggestions once its index is empty).
local function move(kind, id, before, after, time, facet)
  if before and before ~= after then
    redis.call('ZREM', prefix .. kind .. ':' .. before, id)
    if facet then rank(facet, kind, before) end
  end
  if after then redis.call('ZADD', prefix .. kind .. ':' .. after, time, id) end
end

for i = 5, #ARGV do
  local p = cjson.decode(ARGV[i])
  local id = p.id
  local key = prefix .. 'task:' .. id
  local old = redis.call('HMGET', key, 'name', 'state', 'stateAt', 'worker', 'time')
  local oldName, oldState, oldWorker = present(old[1]), present(old[2]), present(old[4])
  local name, state, worker = oldName, oldState, oldWorker
  local stateAt, time = tonumber(present(old[3])), tonumber(present(old[5]))
  local oldTime = time
  local at = p.at
  local fields = {}
  -- A task no event has given a state yet is PENDING from its first event on, as a new
  -- record in memory (emptyTaskRecord): in state:PENDING, and any state wins over it.
  -- (A hash written before this rule has no state: PENDING since its first-seen time.)
  if state == nil then
    state = 'PENDING'
    stateAt = stateAt or time or at
  end
  if time == nil or at < time then time = at end
  local newState = present(p.state)
  if newState and (state == 'PENDING' or
      (newState ~= 'PENDING' and at >= stateAt)) then
    state = newState
    stateAt = at
  end
  table.insert(fields, 'time'); table.insert(fields, time)
  table.insert(fields, 'state'); table.insert(fields, state)
  table.insert(fields, 'stateAt'); table.insert(fields, stateAt)
  if present(p.stamp) then table.insert(fields, p.stamp); table.insert(fields, at) end
  if present(p.worker) then
    worker = p.worker
    table.insert(fields, 'worker'); table.insert(fields, worker)
  end
  for field, value in pairs(p.text) do
    -- A JSON null (a root task's parent_id) is cjson.null, which Redis cannot store.
    if present(value) then
      table.insert(fields, field); table.insert(fields, value)
      if field == 'name' then name = value end
      if field == 'parentId' then
        redis.call('SADD', prefix .. 'children:' .. value, id)
        -- As long as the child's hash (see its EXPIRE below).
        redis.call('EXPIRE', prefix .. 'children:' .. value, math.max(ttl, math.ceil(time - cutoff)))
      end
    end
  end
  for field, value in pairs(p.numbers) do
    table.insert(fields, field); table.insert(fields, value)
  end
  -- Not present(): that takes false (a revoke that did not terminate) for absent.
  if p.terminated ~= nil and p.terminated ~= cjson.null then
    table.insert(fields, 'terminated')
    table.insert(fields, p.terminated and '1' or '0')
  end
  redis.call('HSET', key, unpack(fields))
  -- Never before its index entries are past the age cap (a worker's clock ahead of
  -- this app's), so that a hash gone is always one of a task past it.
  redis.call('EXPIRE', key, math.max(ttl, math.ceil(time - cutoff)))
  redis.call('ZADD', all, time, id)
  move('state', id, oldState, state, time)
  move('name', id, oldName, name, time, 'names')
  move('worker', id, oldWorker, worker, time, 'workers')
  -- Its name and worker ranked again only when their index changed: a new task, its
  -- time moved back, or a new name or worker (most events, an outcome, change none).
  if name and (time ~= oldTime or name ~= oldName) then rank('names', 'name', name) end
  if worker and (time ~= oldTime or worker ~= oldWorker) then
    rank('workers', 'worker', worker)
  end
end

-- Every state, name and worker index without the tasks `ids` (trimmed with their hashes
-- gone, which no longer say which indexes hold them) nor any member first seen before the
-- cutoff (each index's scores are the first-seen times); each name and worker ranked
-- again, out of the suggestions once it has no task. The states are TASK_EVENT_STATES
-- (lib/events/task-record.ts).
local STATES = {'PENDING', 'RECEIVED', 'STARTED', 'SUCCESS', 'FAILURE', 'RETRY',
  'REVOKED', 'REJECTED'}
local function removeFrom(index, ids)
  for i = 1, #ids, 1000 do
    redis.call('ZREM', index, unpack(ids, i, math.min(i + 999, #ids)))
  end
end
local function cleanIndexes(ids)
  local before = '(' .. cutoff
  for _, state in ipairs(STATES) do
    local index = prefix .. 'state:' .. state
    redis.call('ZREMRANGEBYSCORE', index, '-inf', before)
    removeFrom(index, ids)
  end
  for _, facet in ipairs({{'names', 'name'}, {'workers', 'worker'}}) do
    for _, value in ipairs(redis.call('ZRANGE', prefix .. facet[1], 0, -1)) do
      local index = prefix .. facet[2] .. ':' .. value
      redis.call('ZREMRANGEBYSCORE', index, '-inf', before)
      removeFrom(index, ids)
      rank(facet[1], facet[2], value)
    end
  end
end

-- Past the caps, the first seen go first: at most 1000 per call, and one more per patch
-- written (a patch adds at most one task), so that writes never outrun the trim; what is
-- left, the next call takes.
local budget = 1000 + (#ARGV - 4)
local victims = {}
local excess = redis.call('ZCARD', all) - maxTasks
if excess > 0 then
  victims = redis.call('ZRANGE', all, 0, math.min(excess, budget) - 1)
end
local expired = redis.call('ZRANGEBYSCORE', all, '-inf', '(' .. cutoff, 'LIMIT', 0, budget)
-- The oldest are often past both caps: each is dropped once.
local seen = {}
for _, id in ipairs(victims) do seen[id] = true end
for _, id in ipairs(expired) do
  if not seen[id] then table.insert(victims, id) end
end
local orphans = {}
for _, id in ipairs(victims) do
  local key = prefix .. 'task:' .. id
  local old = redis.call('HMGET', key, 'name', 'state', 'worker', 'parentId', 'time')
  -- Its hash is gone before a trim came (expired: the app down, or no event for
  -- maxAgeSeconds; or evicted under maxmemory): it no longer tells which indexes hold it.
  -- (`time` is in every hash.)
  if present(old[5]) == nil then table.insert(orphans, id) end
  redis.call('ZREM', all, id)
  move('name', id, present(old[1]), nil, 0, 'names')
  move('state', id, present(old[2]), nil, 0)
  move('worker', id, present(old[3]), nil, 0, 'workers')
  -- Its parent's set (Redis drops it once empty), and its own children's.
  if present(old[4]) then redis.call('SREM', prefix .. 'children:' .. old[4], id) end
  redis.call('DEL', key, prefix .. 'children:' .. id)
end
if #orphans > 0 then cleanIndexes(orphans) end
-- 1 while tasks past a cap are left (a read trims again before it answers), else 0.
if redis.call('ZCARD', all) > maxTasks or
    redis.call('ZCOUNT', all, '-inf', '(' .. cutoff) > 0 then
  return 1
end
return 0
