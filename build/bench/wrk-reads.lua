-- Workload 2: reads of measures and dashboards, spread over many measures.
package.path = package.path .. ";" .. os.getenv("GD_BENCH_DIR") .. "/?.lua"
local report = require("wrk-report")

local ids = {}
local paths = {}
function init(args)
  for line in io.lines(os.getenv("GD_BENCH_IDS")) do ids[#ids + 1] = line end
  for p in string.gmatch(os.getenv("GD_BENCH_READ_PATHS") or "", "[^,]+") do paths[#paths + 1] = p end
end

local counter = 0
function request()
  counter = counter + 1
  if #paths > 0 and counter % 2 == 0 then
    return wrk.format("GET", paths[(counter / 2) % #paths + 1])
  end
  return wrk.format("GET", "/api/measures/" .. ids[math.random(#ids)])
end

done = report.done
