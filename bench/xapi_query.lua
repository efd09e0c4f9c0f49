-- wrk script: statement queries against a filled LRS (bench_xapi_fill fill).
--   wrk ... -s bench/xapi_query.lua URL -- MODE AUTHORIZATION
-- MODE agent-verb: one of 20,000 agents with one of 10 verbs, round robin;
-- MODE first-page: the first page of an unfiltered query.
local verbs = {"attended", "completed", "experienced", "passed", "answered", "launched", "initialized",
               "terminated", "progressed", "commented"}
local mode
local i = 0

local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

init = function(args)
  mode = args[1] or "agent-verb"
  wrk.headers["Authorization"] = args[2]
  wrk.headers["X-Experience-API-Version"] = "2.0.0"
end

request = function()
  i = i + 1
  if mode == "first-page" then return wrk.format("GET", "/xapi/statements") end
  local agent = (i * 7919) % 20000
  -- bench_xapi_fill gives agent a the verbs (a + 20000k) % 10; take one of them.
  local verb = verbs[(agent % 10) + 1]
  local path = "/xapi/statements?agent=" .. encode('{"mbox":"mailto:educator' .. agent .. '@district.example.org"}') ..
               "&verb=" .. encode("http://adlnet.gov/expapi/verbs/" .. verb)
  return wrk.format("GET", path)
end

done = function(summary, latency, requests)
  io.write(string.format("p95_ms=%.2f\n", latency:percentile(95) / 1000))
  io.write(string.format("p50_ms=%.2f\n", latency:percentile(50) / 1000))
end
