-- Redis' clock: ms, seconds (float), and a text unique per microsecond.
local function server_time()
  local t = redis.call('TIME')
  local ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  return ms, tonumber(t[1]) + tonumber(t[2]) / 1000000, t[1] .. t[2]
end
