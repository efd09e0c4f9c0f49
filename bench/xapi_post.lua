-- wrk script: POSTs of N xAPI statements each (no ids, so every request
-- stores N new statements), the same statements bench_xapi_fill writes.
--   wrk ... -s bench/xapi_post.lua URL -- N AUTHORIZATION VERSION
local verbs = {"attended", "completed", "experienced", "passed", "answered", "launched", "initialized",
               "terminated", "progressed", "commented"}

local function statement(n)
  local agent = n % 20000
  local verb = verbs[(n % 10) + 1]
  return string.format(
    '{"actor":{"objectType":"Agent","name":"Educator %d","mbox":"mailto:educator%d@district.example.org"},' ..
    '"verb":{"id":"http://adlnet.gov/expapi/verbs/%s","display":{"en-US":"%s"}},' ..
    '"object":{"objectType":"Activity","id":"https://webinars.example.org/sessions/%d",' ..
    '"definition":{"name":{"en-US":"Session %d"},"type":"http://adlnet.gov/expapi/activities/meeting"}},' ..
    '"result":{"duration":"PT45M","completion":true},' ..
    '"context":{"registration":"6f0a8c2e-3b9d-4c1e-9a7f-%012d","platform":"Webinar platform",' ..
    '"contextActivities":{"parent":[{"id":"https://webinars.example.org/series/%d"}]}},' ..
    '"timestamp":"2026-08-07T19:00:00.000Z"}',
    agent, agent, verb, verb, n % 500, n % 500, n, n % 50)
end

local body
init = function(args)
  local n = tonumber(args[1] or "100")
  local parts = {}
  for i = 1, n do parts[i] = statement(i * 7919) end
  if n == 1 then body = parts[1] else body = "[" .. table.concat(parts, ",") .. "]" end
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = args[2]
  wrk.headers["X-Experience-API-Version"] = args[3] or "2.0.0"
end

done = function(summary, latency, requests)
  io.write(string.format("p95_ms=%.2f\n", latency:percentile(95) / 1000))
end
