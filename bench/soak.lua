-- bench/soak.lua: wrk script for the memory soak. Cycles through a request
-- list (bench/httpbench.py soaklist: "GET<TAB>path" or
-- "POST<TAB>path<TAB>file" a line; a POST sends the file as text/plain),
-- each thread from a different offset, counts the answers by status class
-- and prints one machine-readable line at the end:
--   SOAK requests=N rps=R p50_ms= p99_ms= s2xx= s4xx= s5xx= other= errors=E
-- usage: wrk -t2 -c8 -d600s -s bench/soak.lua http://127.0.0.1:PORT -- LIST

local threads = {}
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("tid", counter)
    table.insert(threads, thread)
end

local reqs = {}
local idx = 0
s2xx, s4xx, s5xx, other = 0, 0, 0, 0

local function slurp(name)
    local f = assert(io.open(name, "rb"))
    local b = f:read("*a")
    f:close()
    return b
end

function init(args)
    local f = assert(io.open(args[1], "r"))
    local hdr = { ["Content-Type"] = "text/plain; charset=utf-8" }
    for line in f:lines() do
        local m, p, file = line:match("^(%u+)\t([^\t]+)\t?(.*)$")
        if m == "POST" then
            reqs[#reqs + 1] = wrk.format("POST", p, hdr, slurp(file))
        elseif m then
            reqs[#reqs + 1] = wrk.format("GET", p)
        end
    end
    f:close()
    idx = (((tid or 1) - 1) * 977) % #reqs
end

function request()
    idx = idx % #reqs + 1
    return reqs[idx]
end

function response(status, headers, body)
    if status >= 200 and status < 300 then s2xx = s2xx + 1
    elseif status >= 400 and status < 500 then s4xx = s4xx + 1
    elseif status >= 500 then s5xx = s5xx + 1
    else other = other + 1 end
end

function done(summary, latency, requests)
    local t = { s2xx = 0, s4xx = 0, s5xx = 0, other = 0 }
    for _, th in ipairs(threads) do
        for k in pairs(t) do t[k] = t[k] + (th:get(k) or 0) end
    end
    local secs = summary.duration / 1e6
    local e = summary.errors
    io.write(string.format(
        "SOAK requests=%d duration_s=%.2f rps=%.2f p50_ms=%.3f p99_ms=%.3f " ..
        "s2xx=%d s4xx=%d s5xx=%d other=%d errors=%d\n",
        summary.requests, secs, summary.requests / secs,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        t.s2xx, t.s4xx, t.s5xx, t.other,
        e.connect + e.read + e.write + e.timeout))
end
