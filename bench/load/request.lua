-- wrk script: POST a chat completion; pacing with delay() so that C connections give about
-- C * 1000 / (DELAY_MS + latency) requests per second (wrk itself has no rate option).
local stream = os.getenv("STREAM") == "1"
local delay_ms = tonumber(os.getenv("DELAY_MS") or "10")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"fake/m","messages":[{"role":"user","content":"Hello there, how are you?"}]'
  .. (stream and ',"stream":true' or '') .. '}'
function delay()
  return delay_ms
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50_ms=%.3f p99_ms=%.3f errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
