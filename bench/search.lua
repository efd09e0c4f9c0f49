-- wrk script: catalog searches with filters, spread over the scale
-- campaigns, and the 95th percentile latency at the end.
local topics = {"flipped", "digital citizenship", "coding", "math", "podcast", "mentor", "science notebooks",
                "rural", "literacy", "assessment", "game", "global"}
local filters = {"", "&format=webinar", "&format=social_media_chat&format=live_chat", "&grade=6-8",
                 "&offers_hours=true", "&theme=Learning%20in%20networks", "&role=administrator",
                 "&subject=science", "&language=es", "&sort=title", "&from=2015-08-05&to=2015-08-12"}
local paths = {}
for n = 0, 399 do
  local campaign = string.format("scale-%03d", (n * 37) % 100)
  local q = ""
  if n % 3 ~= 2 then q = "q=" .. topics[(n % #topics) + 1]:gsub(" ", "%%20") end
  local f = filters[(n % #filters) + 1]
  paths[#paths + 1] = "/api/v1/campaigns/" .. campaign .. "/activities?limit=20&" .. q .. f
end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("p95_ms=%.2f\n", latency:percentile(95) / 1000))
  io.write(string.format("p50_ms=%.2f\n", latency:percentile(50) / 1000))
end
