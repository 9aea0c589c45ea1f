-- wrk script for bench/loadtest.py: rotates over the paths in the file named by the first script
-- argument (one per line) and prints one JSON line with throughput, percentiles and errors.
-- A second argument "unique" appends a counter to every request, so no two URLs repeat (cold pages).
local paths = {}
local unique = false
local counter = 0
local index = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  unique = args[2] == "unique"
  -- Each thread starts elsewhere in the list and counts in its own range.
  index = math.random(#paths)
  counter = math.random(1, 1000000000)
end

function request()
  index = index % #paths + 1
  local path = paths[index]
  if unique then
    counter = counter + 1
    local sep = string.find(path, "?", 1, true) and "&" or "?"
    path = path .. sep .. "lt=" .. counter
  end
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "non2xx": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
