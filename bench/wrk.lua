-- One page of the load benchmark, for wrk (bench/run.py sets the environment and parses the
-- BENCH line this prints at the end).
--   BENCH_METHOD        GET or POST
--   BENCH_BODY          the form body of a POST (urlencoded)
--   BENCH_COOKIE        the Cookie header: session and CSRF cookies from a log-in done in Python
--   BENCH_EXPECT        the status every response should have (200, or 302 for a saved step)
--   BENCH_MAX_REQUESTS  each thread stops after this many responses (0: only the duration bounds it)

local expected = tonumber(os.getenv("BENCH_EXPECT") or "200")
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

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  responses = 0
  unexpected = 0
end

function response(status, headers, body)
  responses = responses + 1
  -- wrk counts only 4xx and 5xx as errors; a redirect to the log-in page would pass unseen.
  if status ~= expected then
    unexpected = unexpected + 1
  end
  if limit > 0 and responses >= limit then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local wrong = 0
  for _, thread in ipairs(threads) do
    wrong = wrong + thread:get("unexpected")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "unexpected_status": %d, "non_2xx_3xx": %d, ' ..
    '"socket_errors": %d, "timeouts": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, wrong, e.status, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
