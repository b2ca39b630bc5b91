-- wrk script for `make bench-load`: each connection replays the paths listed in the file given
-- after `--` (one per line), from its own starting point; the summary is printed as JSON.
local paths = {}
local position = 0

function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  position = math.random(#paths)
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_s": %.3f, "non_2xx_or_3xx": %d, "socket_errors": %d, ' ..
    '"p50_ms": %.1f, "p95_ms": %.1f, "p99_ms": %.1f, "mean_ms": %.1f, "max_ms": %.1f}\n',
    summary.requests, summary.duration / 1e6, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000, latency.max / 1000))
end
