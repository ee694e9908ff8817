-- wrk script: an optional bearer token (env WRK_TOKEN) on every request, and at the end one
-- machine-readable summary line plus many latency percentiles (ms), for proxy-vs-nginx.sh.
local token = os.getenv("WRK_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  io.write(string.format("SUMMARY requests=%d seconds=%.3f rps=%.1f errors=%d non2xx=%d\n",
    summary.requests, secs, summary.requests / secs, errors, summary.errors.status))
  for _, p in ipairs({50, 75, 90, 95, 99, 99.9, 99.99, 100}) do
    -- wrk's percentile(100) can come back 0: the maximum is latency.max
    local micros = p < 100 and latency:percentile(p) or latency.max
    io.write(string.format("PCT %g %.3f\n", p, micros / 1000))
  end
end
