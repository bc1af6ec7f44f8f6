-- wrk script: POST a chat completion, paced with delay() so that C connections give about
-- C * 1000 / (DELAY_MS + latency) requests per second (wrk itself has no rate option).
-- PACING=poisson (default): each connection waits an exponentially distributed time with mean DELAY_MS before
-- its next request, so arrivals from the connections are independent (a Poisson stream, as from many clients).
-- PACING=fixed: exactly DELAY_MS; connections that start together then stay in step and arrive in bursts.
local stream = os.getenv("STREAM") == "1"
local delay_ms = tonumber(os.getenv("DELAY_MS") or "10")
local poisson = (os.getenv("PACING") or "poisson") == "poisson"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"fake/m","messages":[{"role":"user","content":"Hello there, how are you?"}]'
  .. (stream and ',"stream":true' or '') .. '}'
function init(args)
  -- each wrk thread has its own Lua state: seed each differently (the address of a fresh table differs)
  local addr = tostring({}):match("0x(%x+)")
  math.randomseed(os.time() + (addr and tonumber(addr:sub(-6), 16) or 0))
end
function delay()
  if delay_ms <= 0 then return 0 end
  if poisson then
    return math.floor(-math.log(1 - math.random()) * delay_ms + 0.5)
  end
  return delay_ms
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50_ms=%.3f p99_ms=%.3f errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
