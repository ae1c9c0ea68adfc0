-- wrk script for bench/throughput.py: counts every response that is not
-- 2xx as an error (wrk's own count lets 3xx through, and a redirect to the
-- sign-in page is a failure here), and prints one JSON line at the end.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local errors = 0
  for _, thread in ipairs(threads) do
    errors = errors + thread:get("not_ok")
  end
  local socket = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "not_2xx": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, errors,
    socket.connect + socket.read + socket.write + socket.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
