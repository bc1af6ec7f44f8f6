#!/usr/bin/env bash
# Gateway load harness: the same paced load sent to a fast fake provider (nginx returning fixed
# OpenAI answers) directly and through the gateway (the standalone jar, -Xmx512m), plain and streamed.
# Reports added latency p50/p99 at ~1,000 req/s and the highest rate whose p99 added stays under 5 ms.
#
#   mvn -B -ntp -q -DskipTests package && bench/gateway-load.sh [seconds-per-step]
#
# Needs wrk and nginx (Debian packages wrk, nginx-light); installs them with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-15}
JAR=${GATEWAY_JAR:-gateway-starter/target/switchboard-gateway.jar}
for tool in wrk nginx; do
  command -v $tool >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null; }
done
WORK=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
FAKE_PORT=$(free_port); GW_PORT=$(free_port)
sed -e "s#__DIR__#$WORK#g" -e "s#__PORT__#$FAKE_PORT#g" bench/load/nginx.conf > "$WORK/nginx.conf"
nginx -c "$WORK/nginx.conf" -p "$WORK" & NGINX=$!
cat > "$WORK/switchboard.yaml" <<YAML
providers:
  fake:     { type: openai, base_url: "http://127.0.0.1:$FAKE_PORT/v1", api_key: load, circuit_breaker: { enabled: false } }
  fakesse:  { type: openai, base_url: "http://127.0.0.1:$FAKE_PORT/sse/v1", api_key: load, circuit_breaker: { enabled: false } }
YAML
java -Xmx512m -jar "$JAR" --config "$WORK/switchboard.yaml" --port "$GW_PORT" > "$WORK/gateway.log" 2>&1 & GW=$!
trap 'kill $GW $NGINX 2>/dev/null; wait $GW 2>/dev/null; rm -rf "$WORK"' EXIT
for i in $(seq 1 100); do curl -sf "http://127.0.0.1:$GW_PORT/health" >/dev/null && break; sleep 0.2; done

# run URL CONNECTIONS STREAM -> prints "rps p50 p99 errors"
run() {
  STREAM=$3 DELAY_MS=10 wrk -t2 -c"$2" -d"${SECS}s" -s bench/load/request.lua "$1" | grep RESULT \
    | sed -E 's/RESULT rps=([0-9]+) p50_ms=([0-9.]+) p99_ms=([0-9.]+) errors=([0-9]+)/\1 \2 \3 \4/'
}
compare() { # CONNECTIONS STREAM
  local direct gw path model
  if [ "$2" = 1 ]; then path="sse/v1"; model="fakesse/m"; else path="v1"; model="fake/m"; fi
  direct=$(run "http://127.0.0.1:$FAKE_PORT/$path/chat/completions" "$1" "$2")
  sed -i "s#\"model\":\"[a-z]*/m\"#\"model\":\"$model\"#" bench/load/request.lua
  gw=$(run "http://127.0.0.1:$GW_PORT/v1/chat/completions" "$1" "$2")
  sed -i "s#\"model\":\"[a-z]*/m\"#\"model\":\"fake/m\"#" bench/load/request.lua
  read -r drps dp50 dp99 derr <<<"$direct"; read -r grps gp50 gp99 gerr <<<"$gw"
  awk -v c="$1" -v s="$2" -v dr="$drps" -v d50="$dp50" -v d99="$dp99" -v gr="$grps" -v g50="$gp50" -v g99="$gp99" -v ge="$gerr" \
    'BEGIN { printf "%-6s conns=%-4d direct %6d rps p50 %.3f p99 %.3f | gateway %6d rps p50 %.3f p99 %.3f | added p50 %.3f p99 %.3f ms | errors %d\n",
      (s==1?"stream":"plain"), c, dr, d50, d99, gr, g50, g99, g50-d50, g99-d99, ge }'
}
echo "warm-up"; compare 10 0 >/dev/null; compare 10 1 >/dev/null
echo "== ~1,000 req/s (10 connections, one request every 10 ms each)"
compare 10 0
compare 10 1
echo "== rate sweep (highest rate with p99 added < 5 ms)"
for mode in 0 1; do
  for c in 20 40 60 80 120 160; do
    line=$(compare "$c" "$mode"); echo "$line"
    added=$(sed -E 's/.*added p50 [-0-9.]+ p99 ([-0-9.]+) ms.*/\1/' <<<"$line")
    awk -v a="$added" 'BEGIN { exit !(a >= 5) }' && break
  done
done
echo "gateway RSS: $(grep VmRSS /proc/$GW/status | awk '{print $2/1024 " MB"}')"
