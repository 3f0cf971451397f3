-- The dashboard's task history: of the children asked, those whose record (hash) is
-- still kept; the others leave the parent's set in the same step, so that a child
-- written meanwhile is never dropped (see dashboard-history-1.lua for the layout).
-- KEYS: children:<parent id>.
-- ARGV: prefix, child ids...
-- Returns the kept ids, in the order asked.
local kept = {}
for i = 2, #ARGV do
  if redis.call('EXISTS', ARGV[1] .. 'task:' .. ARGV[i]) == 1 then
    table.insert(kept, ARGV[i])
  else
    redis.call('SREM', KEYS[1], ARGV[i])
  end
end
return kept
