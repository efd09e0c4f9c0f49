-- wrk script: GET the URL given to wrk with an Authorization header, and
-- report the 95th and 50th percentile latency.
--   wrk ... -s bench/get.lua URL -- "Bearer TOKEN"
init = function(args)
  if args[1] then wrk.headers["Authorization"] = args[1] end
end

done = function(summary, latency, requests)
  io.write(string.format("p95_ms=%.2f\n", latency:percentile(95) / 1000))
  io.write(string.format("p50_ms=%.2f\n", latency:percentile(50) / 1000))
end
