-- wrk reporter: p50/p95/p99 latency in milliseconds and requests per second, one line each,
-- plus the count of non-2xx answers (a benchmark of errors would measure nothing).
local non2xx = 0
response = function(status, headers, body)
    if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
done = function(summary, latency, requests)
    io.write(string.format("  requests/s: %.0f\n", summary.requests / (summary.duration / 1e6)))
    for _, p in ipairs({50, 95, 99}) do
        io.write(string.format("  p%d: %.2f ms\n", p, latency:percentile(p) / 1000))
    end
    io.write(string.format("  errors: %d\n", summary.errors.status + summary.errors.connect + summary.errors.read +
        summary.errors.write + summary.errors.timeout))
end
