-- Workload 2: reads at a steady rate from independent clients. Each connection waits a random,
-- exponentially distributed time before its next request (Poisson arrivals overall), so reads
-- do not arrive in lock-step bursts as with a fixed per-worker ticker.
--   GD_BENCH_READ       "measure" (a random measure of GD_BENCH_IDS each time) or a path
--   GD_BENCH_GAP_MS     mean wait per connection between requests
package.path = package.path .. ";" .. os.getenv("GD_BENCH_DIR") .. "/?.lua"
local report = require("wrk-report")

local ids = {}
local read = os.getenv("GD_BENCH_READ") or "measure"
local gap = tonumber(os.getenv("GD_BENCH_GAP_MS") or "100")
local key = os.getenv("GD_BENCH_KEY")

function init(args)
  for line in io.lines(os.getenv("GD_BENCH_IDS")) do ids[#ids + 1] = line end
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

function delay()
  return -math.log(1 - math.random()) * gap
end

function request()
  local path = read == "measure" and ("/api/measures/" .. ids[math.random(#ids)]) or read
  local headers = {}
  if key then headers["X-Api-Key"] = key end
  return wrk.format("GET", path, headers)
end

done = report.done
