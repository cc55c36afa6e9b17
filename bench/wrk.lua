-- One page of the load benchmark, for wrk (bench/run.py sets the environment and parses the
-- BENCH line this prints at the end).
--   BENCH_METHOD        GET or POST
--   BENCH_BODY          the form body of a POST (urlencoded)
--   BENCH_COOKIE        the Cookie header: session and CSRF cookies from a log-in done in Python
--   BENCH_EXPECT        the statuses a response may have, comma-separated (200, or 302 for a
--                       saved step; 200,429,503 for PDFs)
--   BENCH_MAX_REQUESTS  each thread stops after this many responses (0: only the duration bounds it)
--   BENCH_TARGETS       a file of "path<TAB>cookie" lines: each request takes the next line (each
--                       thread starting at its own place) instead of the URL's path and BENCH_COOKIE

local expected = {}
for status in string.gmatch(os.getenv("BENCH_EXPECT") or "200", "%d+") do
  expected[tonumber(status)] = true
end
local limit = tonumber(os.getenv("BENCH_MAX_REQUESTS") or "0")

wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY") or ""
if body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
local cookie = os.getenv("BENCH_COOKIE") or ""
if cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

local targets = {}
local targets_file = os.getenv("BENCH_TARGETS") or ""
if targets_file ~= "" then
  for line in io.lines(targets_file) do
    local path, header = string.match(line, "^([^\t]+)\t(.*)$")
    if path then
      table.insert(targets, {path, header})
    end
  end
end

local threads = {}

function setup(thread)
  thread:set("place", #threads)
  table.insert(threads, thread)
end

function init(args)
  responses = 0
  unexpected = 0
  statuses = {}
  -- Threads start half the list apart (wrk runs 2), so they do not ask for the same report.
  place = math.floor((place or 0) * #targets / 2)
end

if #targets > 0 then
  function request()
    place = place % #targets + 1
    local target = targets[place]
    wrk.headers["Cookie"] = target[2]
    return wrk.format(nil, target[1])
  end
end

function response(status, headers, body)
  responses = responses + 1
  statuses[status] = (statuses[status] or 0) + 1
  -- wrk counts only 4xx and 5xx as errors; a redirect to the log-in page would pass unseen.
  if not expected[status] then
    unexpected = unexpected + 1
  end
  if limit > 0 and responses >= limit then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local wrong = 0
  local counts = {}
  for _, thread in ipairs(threads) do
    wrong = wrong + thread:get("unexpected")
    for status, count in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, count))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "unexpected_status": %d, "non_2xx_3xx": %d, ' ..
    '"socket_errors": %d, "timeouts": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"statuses": {%s}}\n',
    summary.requests, summary.duration, wrong, e.status, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    table.concat(parts, ", ")))
end
