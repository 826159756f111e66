-- bench/cycle.lua: wrk script that cycles through a file of request paths
-- (one URL-encoded path a line), each thread starting at a different offset,
-- and prints one machine-readable line at the end:
--   BENCH requests=N rps=R p50_ms= p95_ms= p99_ms= max_ms= errors=E non2xx=S
-- usage: wrk -t2 -c8 -d20s -s bench/cycle.lua http://127.0.0.1:PORT -- PATHS_FILE

local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("tid", counter)
end

local paths = {}
local idx = 0

function init(args)
    local f = assert(io.open(args[1], "r"))
    for line in f:lines() do
        if #line > 0 then
            paths[#paths + 1] = line
        end
    end
    f:close()
    local t = tid or 1
    -- spread the threads over the list so that no two send the same query at once
    idx = ((t - 1) * 211) % #paths
end

function request()
    idx = idx % #paths + 1
    return wrk.format("GET", paths[idx])
end

function done(summary, latency, requests)
    local secs = summary.duration / 1e6
    local e = summary.errors
    io.write(string.format(
        "BENCH requests=%d duration_s=%.2f rps=%.2f p50_ms=%.3f p95_ms=%.3f " ..
        "p99_ms=%.3f max_ms=%.3f errors=%d non2xx=%d\n",
        summary.requests, secs, summary.requests / secs,
        latency:percentile(50) / 1000, latency:percentile(95) / 1000,
        latency:percentile(99) / 1000, latency.max / 1000,
        e.connect + e.read + e.write + e.timeout, e.status))
end
