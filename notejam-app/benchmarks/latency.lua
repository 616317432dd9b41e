-- wrk script for the all-notes page: sends the signed-in session cookie, counts answers other than 200
-- (a 302 to /signin/ would mean the session was lost) and prints one RESULT line with p50/p95/p99.
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  bad = 0
  wrk.headers["Cookie"] = "SESSION=" .. os.getenv("BENCH_COOKIE")
  wrk.headers["Accept"] = "text/html"
end
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local non200 = 0
  for _, t in ipairs(threads) do non200 = non200 + t:get("bad") end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rps=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f non200=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000, non200,
    e.connect + e.read + e.write + e.timeout))
end
