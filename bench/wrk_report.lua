-- wrk script for bench/loadtest.py: rotates over the paths in the file named by the first script
-- argument (one per line) and prints one JSON line with throughput, percentiles and errors.
-- A second argument "unique" adds lt=<run>.<thread>.<n> to every request, so no two URLs repeat
-- (cold pages): <run> is the third argument (bench/loadtest.py passes a fresh random token per wrk
-- run), <thread> the thread's number, <n> its own counter. wrk seeds every thread's Lua state the
-- same way, so math.random alone would give each thread, and each run, the same "unique" URLs.
-- The page cache keys on every parameter but tracking ones (utm_*, fbclid...), and no view reads lt.
local paths = {}
local unique = false
local run = "0"
local counter = 0
local index = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  unique = args[2] == "unique"
  run = args[3] or "0"
  -- Each thread starts elsewhere in the list.
  local id = thread_id or 1
  index = ((id - 1) * 7919) % #paths
end

function request()
  index = index % #paths + 1
  local path = paths[index]
  if unique then
    counter = counter + 1
    local sep = string.find(path, "?", 1, true) and "&" or "?"
    path = path .. sep .. "lt=" .. run .. "." .. (thread_id or 1) .. "." .. counter
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
