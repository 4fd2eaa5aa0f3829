-- Workload 1: lifecycle commands spread over many measures in their pilot stage.
-- Each request records an indicator measurement on a random measure (always allowed in Pilot).
package.path = package.path .. ";" .. os.getenv("GD_BENCH_DIR") .. "/?.lua"
local report = require("wrk-report")

local ids = {}
local key = os.getenv("GD_BENCH_KEY")
local keyHeader = os.getenv("GD_BENCH_KEY_HEADER") or "X-Api-Key"

function init(args)
  for line in io.lines(os.getenv("GD_BENCH_IDS")) do ids[#ids + 1] = line end
  math.randomseed(os.time() + (args[1] and tonumber(args[1]) or 0))
end

local counter = 0
function request()
  counter = counter + 1
  local id = ids[math.random(#ids)]
  local body = string.format('{"indicator":"nutzung","value":%d,"on":"2025-03-%02d","source":"bench"}',
    counter % 1000, (counter % 28) + 1)
  local headers = { ["Content-Type"] = "application/json" }
  if key then headers[keyHeader] = key end
  return wrk.format("POST", "/api/measures/" .. id .. "/record-measurement", headers, body)
end

-- GD_BENCH_PACE_MS: wait this long before each request on a connection (commands at a steady
-- rate alongside reads, instead of as many as the machine can take).
local pace = tonumber(os.getenv("GD_BENCH_PACE_MS") or "0")
if pace > 0 then
  function delay() return pace end
end

done = report.done
