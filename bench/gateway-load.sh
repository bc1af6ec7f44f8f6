#!/usr/bin/env bash
# Gateway load harness: the same paced load sent to a fast fake provider (nginx returning fixed
# OpenAI answers) directly, through nginx as a plain reverse proxy in a process of its own (the cost of one proxy
# hop on this machine, for reference) and through the gateway (the standalone jar, -Xmx512m), plain and streamed.
# Reports added latency p50/p99 at ~1,000 req/s and the highest rate whose p99 added stays under 5 ms.
# Pacing: PACING=poisson (default) gives each connection exponentially distributed pauses (mean 10 ms), so arrivals
# are independent, as from many clients; PACING=fixed pauses exactly 10 ms, so the connections stay in step and
# arrive in bursts of all of them at once (a harsher, less realistic load: each burst queues on the 2 cores).
#
#   mvn -B -ntp -q -DskipTests package && bench/gateway-load.sh [seconds-per-step]
#
# WARMUP (seconds, default 60) of unpaced load come first, so that the JIT has compiled the hot paths.
# CALL_LOG_CONTENT=off logs calls without their messages and reply (gateway.call_log.capture_content: false).
# CALL_LOG=off starts the gateway with gateway.call_log.enabled: false (default on: a SQLite file in the data/ folder
# beside the configuration, as the gateway's default store is, so the configuration watcher does not see its writes; CALL_LOG_URL=jdbc:h2:file:/tmp/x/call-log for another). MODE=throughput
# measures only the highest throughput (no pacing, THROUGHPUT_CONNS connections, default 32), plain and streamed, through the gateway: compare CALL_LOG=on and off for the call log's overhead.
# MODE=build-ab compares two builds the same way: GATEWAY_JAR (runs labelled A) against GATEWAY_JAR_B (B), both with the
# call log on; the per-thread CPU (the writer thread's above all) is what tells two builds of the call log apart.
# MODE=calllog-ab starts a second gateway with the call log off and alternates the same throughput runs between
# the two for ROUNDS rounds (default 3), then prints the medians and the median of each round's own on/off ratio: on
# a noisy machine a fairer comparison than two separate runs, and (with bench/target/benchmarks.jar built) the rounds'
# median ratio with a 95 % bootstrap interval; pool several runs' saved outputs with
# java -cp bench/target/benchmarks.jar dev.switchboard.bench.AbSummary ab1.txt ab2.txt …
# Each run (here and at ~1,000 req/s) also shows the gateway's CPU per request by thread group (io: the event loops;
# writer: the call log's writer thread; jit: the compilers, still busy in the first rounds; gc; other).
#
# REPEAT (default 3) runs of each kind at ~1,000 req/s, alternated, then the medians of their added p50, p99 and CPU. SWEEP=off stops after the ~1,000 req/s runs. GW_JAVA_OPTS adds JVM options to the gateways (e.g. -Xlog:gc:file=/tmp/gc.log).
# PIN=1 pins the gateways to the last CPU and wrk and nginx to the others (taskset), so that the gateway has a core of its
# own instead of sharing both with the load: a steadier throughput comparison (MODE=calllog-ab), though the gateway's
# JVM then sizes itself for one CPU (the serial collector, fewer event loops).
#
# Needs wrk and nginx (Debian packages wrk, nginx-light); installs them with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-15}
JAR=${GATEWAY_JAR:-gateway-starter/target/switchboard-gateway.jar}
for tool in wrk nginx; do
  command -v $tool >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null; }
done
GW_PIN=""; LOAD_PIN=""
if [ "${PIN:-0}" = 1 ]; then
  last=$(( $(nproc) - 1 ))
  [ "$last" -ge 1 ] || { echo "PIN=1 needs at least 2 CPUs" >&2; exit 2; }
  GW_PIN="taskset -c $last"; LOAD_PIN="taskset -c 0-$((last - 1))"
fi
WORK=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
FAKE_PORT=$(free_port); GW_PORT=$(free_port); PROXY_PORT=$(free_port)
for conf in nginx nginx-proxy; do
  sed -e "s#__DIR__#$WORK#g" -e "s#__PORT__#$FAKE_PORT#g" -e "s#__PROXY_PORT__#$PROXY_PORT#g" bench/load/$conf.conf > "$WORK/$conf.conf"
done
cp bench/load/request.lua "$WORK/request.lua" # a copy: runs switch its model in place
$LOAD_PIN nginx -c "$WORK/nginx.conf" -p "$WORK" & NGINX=$!
$LOAD_PIN nginx -c "$WORK/nginx-proxy.conf" -p "$WORK" & NGINX_PROXY=$!
cat > "$WORK/switchboard.yaml" <<YAML
providers:
  fake:     { type: openai, base_url: "http://127.0.0.1:$FAKE_PORT/v1", api_key: load, circuit_breaker: { enabled: false } }
  fakesse:  { type: openai, base_url: "http://127.0.0.1:$FAKE_PORT/sse/v1", api_key: load, circuit_breaker: { enabled: false } }
YAML
if [ "${CALL_LOG:-on}" = off ]; then
  printf 'gateway:\n  call_log: { enabled: false }\n' >> "$WORK/switchboard.yaml"
else
  printf 'gateway:\n  call_log: { url: "%s"%s }\n' "${CALL_LOG_URL:-jdbc:sqlite:$WORK/data/call-log.db}" \
    "$([ "${CALL_LOG_CONTENT:-on}" = off ] && echo ', capture_content: false')" >> "$WORK/switchboard.yaml"
fi
$GW_PIN java -Xmx512m ${GW_JAVA_OPTS:-} -jar "$JAR" --config "$WORK/switchboard.yaml" --port "$GW_PORT" > "$WORK/gateway.log" 2>&1 & GW=$!
GW2=""
if [ "${MODE:-}" = calllog-ab ]; then
  GW2_PORT=$(free_port)
  sed '/^gateway:/,$d' "$WORK/switchboard.yaml" > "$WORK/switchboard-off.yaml"
  printf 'gateway:\n  call_log: { enabled: false }\n' >> "$WORK/switchboard-off.yaml"
  $GW_PIN java -Xmx512m ${GW_JAVA_OPTS:-} -jar "$JAR" --config "$WORK/switchboard-off.yaml" --port "$GW2_PORT" > "$WORK/gateway-off.log" 2>&1 & GW2=$!
elif [ "${MODE:-}" = build-ab ]; then # a second build (GATEWAY_JAR_B) with the same settings and a call log of its own
  [ -f "${GATEWAY_JAR_B:-}" ] || { echo "MODE=build-ab needs GATEWAY_JAR_B, the other build's jar" >&2; exit 2; }
  GW2_PORT=$(free_port)
  sed "s#$WORK/data/#$WORK/data-b/#" "$WORK/switchboard.yaml" > "$WORK/switchboard-b.yaml"
  $GW_PIN java -Xmx512m ${GW_JAVA_OPTS:-} -jar "$GATEWAY_JAR_B" --config "$WORK/switchboard-b.yaml" --port "$GW2_PORT" > "$WORK/gateway-b.log" 2>&1 & GW2=$!
fi
trap 'kill $GW $GW2 $NGINX $NGINX_PROXY 2>/dev/null; wait $GW $GW2 2>/dev/null; rm -rf "$WORK"' EXIT
for port in $GW_PORT ${GW2_PORT:-}; do
  for i in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
done

# run URL CONNECTIONS STREAM -> prints "rps p50 p99 errors"
run() {
  STREAM=$3 DELAY_MS=${PACE_MS:-10} $LOAD_PIN wrk -t2 -c"$2" -d"${SECS}s" -s "$WORK/request.lua" "$1" | grep RESULT \
    | sed -E 's/RESULT rps=([0-9]+) p50_ms=([0-9.]+) p99_ms=([0-9.]+) errors=([0-9]+)/\1 \2 \3 \4/'
}
compare() { # CONNECTIONS STREAM
  local direct proxy gw path model t0 t1
  if [ "$2" = 1 ]; then path="sse/v1"; model="fakesse/m"; else path="v1"; model="fake/m"; fi
  direct=$(run "http://127.0.0.1:$FAKE_PORT/$path/chat/completions" "$1" "$2")
  proxy=$(run "http://127.0.0.1:$PROXY_PORT/$path/chat/completions" "$1" "$2")
  sed -i "s#\"model\":\"[a-z]*/m\"#\"model\":\"$model\"#" "$WORK/request.lua"
  t0=$(cpu_ticks); threads "$GW" > "$WORK/compare-0"
  gw=$(run "http://127.0.0.1:$GW_PORT/v1/chat/completions" "$1" "$2")
  t1=$(cpu_ticks); threads "$GW" > "$WORK/compare-1"
  sed -i "s#\"model\":\"[a-z]*/m\"#\"model\":\"fake/m\"#" "$WORK/request.lua"
  read -r drps dp50 dp99 derr <<<"$direct"; read -r prps pp50 pp99 perr <<<"$proxy"; read -r grps gp50 gp99 gerr <<<"$gw"
  awk -v c="$1" -v s="$2" -v dr="$drps" -v d50="$dp50" -v d99="$dp99" -v p50="$pp50" -v p99="$pp99" \
      -v gr="$grps" -v g50="$gp50" -v g99="$gp99" -v ge="$gerr" -v ticks=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v secs="$SECS" \
    'BEGIN { printf "%-6s conns=%-4d direct %6d rps p50 %.3f p99 %.3f | nginx proxy adds p50 %.3f p99 %.3f | gateway %6d rps p50 %.3f p99 %.3f, adds p50 %.3f p99 %.3f ms | gateway CPU %.0f us/request | errors %d\n",
      (s==1?"stream":"plain"), c, dr, d50, d99, p50-d50, p99-d99, gr, g50, g99, g50-d50, g99-d99, (gr > 0 ? ticks / hz * 1e6 / (gr * secs) : 0), ge }'
  echo "       gateway CPU by thread: $(by_thread "$WORK/compare-0" "$WORK/compare-1" $((${grps:-0} * SECS)))us/request"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/${1:-$GW}/stat"; } # a gateway's user + system CPU, all threads
# threads PID -> "group ticks" lines: a gateway's CPU by thread group (event loops, call-log writer, JIT, GC, other)
threads() {
  local t c s
  for t in /proc/"$1"/task/*; do
    c=$(cat "$t/comm" 2>/dev/null) && s=$(cat "$t/stat" 2>/dev/null) || continue
    s=${s##*) }; set -- $s; echo "${12} ${13} $c" # utime stime name (names may hold spaces)
  done | awk '{t = $1 + $2; $1 = $2 = ""; n = substr($0, 3); g = "other"} n ~ /^sb-gateway-io/ {g = "io"}
              n ~ /^switchboard-cal/ {g = "writer"} n ~ /^C[12] / {g = "jit"} n ~ /^(GC|G1)/ {g = "gc"}
              {s[g] += t} END {for (k in s) print k, s[k]}' | sort
}
# by_thread BEFORE AFTER REQUESTS -> "io 110.2 writer 19.8 ..." (us of CPU per request by thread group)
by_thread() {
  join "$1" "$2" | awk -v hz="$(getconf CLK_TCK)" -v n="$3" '{printf "%s %.1f ", $1, ($3 - $2) / hz * 1e6 / (n > 0 ? n : 1)}'
}
# Warm-up: the JIT compiles the gateway's paths for a minute or more on 2 cores (C2 shares them with wrk and nginx);
# measuring before that measures the compiler. WARMUP seconds (default 60) of unpaced load, plain then streamed.
warmup() { # PORT
  local half=$(( (${WARMUP:-60} + 1) / 2 ))
  for m in 0 1; do
    [ "$m" = 1 ] && sed -i 's#"model":"[a-z]*/m"#"model":"fakesse/m"#' "$WORK/request.lua"
    STREAM=$m DELAY_MS=0 $LOAD_PIN wrk -t2 -c32 -d"${half}s" -s "$WORK/request.lua" "http://127.0.0.1:$1/v1/chat/completions" >/dev/null
    sed -i 's#"model":"[a-z]*/m"#"model":"fake/m"#' "$WORK/request.lua"
  done
}
echo "warm-up: ${WARMUP:-60} s unpaced"
for port in $GW_PORT ${GW2_PORT:-}; do warmup "$port"; done
case "${MODE:-}" in calllog-ab|build-ab) ;; *) compare 10 0 >/dev/null; compare 10 1 >/dev/null ;; esac
# throughput PORT STREAM -> prints "rps p50 p99 errors" of an unpaced run through the gateway at PORT
throughput() {
  [ "$2" = 1 ] && sed -i 's#"model":"[a-z]*/m"#"model":"fakesse/m"#' "$WORK/request.lua"
  PACE_MS=0 run "http://127.0.0.1:$1/v1/chat/completions" "${THROUGHPUT_CONNS:-32}" "$2"
  sed -i 's#"model":"[a-z]*/m"#"model":"fake/m"#' "$WORK/request.lua"
}
if [ "${MODE:-}" = calllog-ab ] || [ "${MODE:-}" = build-ab ]; then
  # run labels: the first gateway's "on" (call log on) or, in build-ab, "A" (GATEWAY_JAR); the second's "off" (call
  # log off) or "B" (GATEWAY_JAR_B, its log on too)
  first=on; second=off; what=call_log; [ "$MODE" = build-ab ] && first=A && second=B && what=build
  : > "$WORK/ab.txt"
  for r in $(seq 1 "${ROUNDS:-3}"); do
    for mode in 0 1; do
      if [ $((r % 2)) = 1 ]; then order="$first $second"; else order="$second $first"; fi
      for label in $order; do
        port=$GW_PORT; pid=$GW; [ "$label" = "$second" ] && port=$GW2_PORT && pid=$GW2
        t0=$(cpu_ticks "$pid"); threads "$pid" > "$WORK/threads-0"
        read -r rps p50 p99 err <<<"$(throughput "$port" "$mode")"
        t1=$(cpu_ticks "$pid"); threads "$pid" > "$WORK/threads-1"
        kind=$([ "$mode" = 1 ] && echo stream || echo plain)
        cpu=$(awk -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v r="$rps" -v s="$SECS" 'BEGIN { printf "%.0f", (r > 0 ? t / hz * 1e6 / (r * s) : 0) }')
        split=$(by_thread "$WORK/threads-0" "$WORK/threads-1" $((rps * SECS)))
        echo "round $r $kind $what=$label: $rps rps, p50 $p50 ms, p99 $p99 ms, errors $err, gateway CPU $cpu us/request"\
             "(${split}us/request by thread)" | tee -a "$WORK/rounds.txt"
        # kind, label, rps, round, then the writer's and the event loops' us/request (0 without a writer)
        echo "$kind $label $rps $r $(awk '{w = 0; for (i = 1; i < NF; i++) { if ($i == "writer") w = $(i + 1); if ($i == "io") o = $(i + 1) }
                                         print w, o}' <<<"$split")" >> "$WORK/ab.txt"
      done
    done
  done
  median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; } # numbers on stdin -> the median (the lower of two)
  for kind in plain stream; do
    rps_a=$(awk -v k=$kind -v l=$first '$1==k && $2==l {print $3}' "$WORK/ab.txt" | median)
    rps_b=$(awk -v k=$kind -v l=$second '$1==k && $2==l {print $3}' "$WORK/ab.txt" | median)
    # each round's pair ran back to back, so its ratio is less moved by the machine's drifting speed
    paired=$(awk -v k=$kind -v a=$first -v b=$second '$1==k {rps[$4 "/" $2] = $3; rounds[$4] = 1}
      END {for (r in rounds) printf "%.1f\n", 100 * rps[r "/" a] / rps[r "/" b]}' "$WORK/ab.txt" | median)
    awk -v k=$kind -v ra="$rps_a" -v rb="$rps_b" -v p="$paired" -v w=$what -v a=$first -v b=$second 'BEGIN { printf "median %s: %s %s %d rps, %s %d rps, %s/%s %.1f%%; median of the rounds'"'"' %s/%s %s%%\n", k, w, a, ra, b, rb, a, b, 100 * ra / rb, a, b, p }'
    for l in $first $second; do
      echo "  $kind $what=$l: median writer $(awk -v k=$kind -v l=$l '$1==k && $2==l {print $5}' "$WORK/ab.txt" | median) us/request," \
           "event loops $(awk -v k=$kind -v l=$l '$1==k && $2==l {print $6}' "$WORK/ab.txt" | median) us/request"
    done
  done
  echo "call log: $(curl -s "http://127.0.0.1:$GW_PORT/metrics" | grep -E '^switchboard_calllog_(dropped_total|queue_size)' | tr '\n' ' ')"
  # the rounds' ratios with a 95 % interval for their median (pool several runs' outputs the same way: AbSummary a.txt b.txt)
  if [ -f bench/target/benchmarks.jar ]; then
    java -cp bench/target/benchmarks.jar dev.switchboard.bench.AbSummary "$WORK/rounds.txt"
  fi
  exit 0
fi
if [ "${MODE:-}" = throughput ]; then
  for mode in 0 1; do
    read -r rps p50 p99 err <<<"$(throughput "$GW_PORT" "$mode")"
    echo "throughput $([ "$mode" = 1 ] && echo stream || echo plain) call_log=${CALL_LOG:-on} conns=${THROUGHPUT_CONNS:-32}: $rps rps, p50 $p50 ms, p99 $p99 ms, errors $err"
  done
  echo "call log: $(curl -s "http://127.0.0.1:$GW_PORT/metrics" | grep -E '^switchboard_calllog_(dropped_total|queue_size)' | tr '\n' ' ')"
  # the rounds' ratios with a 95 % interval for their median (pool several runs' outputs the same way: AbSummary a.txt b.txt)
  if [ -f bench/target/benchmarks.jar ]; then
    java -cp bench/target/benchmarks.jar dev.switchboard.bench.AbSummary "$WORK/rounds.txt"
  fi
  exit 0
fi
echo "== ~1,000 req/s (10 connections, one request every 10 ms each), ${REPEAT:-3} runs of each"
: > "$WORK/paced.txt"
for i in $(seq 1 "${REPEAT:-3}"); do
  for mode in 0 1; do
    line=$(compare 10 "$mode"); echo "$line"
    # kind, added p50, added p99, CPU, direct p99, gateway p99
    head -1 <<<"$line" | sed -E 's/^([a-z]+) .* direct +[0-9]+ rps p50 [0-9.]+ p99 ([0-9.]+) \|.*\| gateway +[0-9]+ rps p50 [0-9.]+ p99 ([0-9.]+), adds p50 ([-0-9.]+) p99 ([-0-9.]+) ms \| gateway CPU ([0-9]+) us.*/\1 \4 \5 \6 \2 \3/' >> "$WORK/paced.txt"
  done
done
# One 10-second run's p50 moves by up to +-0.1 ms with the machine (the same build, minutes apart): the medians are the result.
med() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; } # numbers on stdin -> the median (the lower of two)
for kind in plain stream; do
  col() { awk -v k=$kind -v c="$1" '$1 == k {print $c}' "$WORK/paced.txt"; }
  # a run's added p99 is its gateway p99 minus the direct run's, and a spike in one direct run can make it negative:
  # the gateway's median p99 minus the direct runs' median p99 is printed beside the median of the differences
  printf "median of %d %-6s runs: adds p50 %.3f ms (runs %.3f to %.3f), p99 %.3f ms (median p99s: gateway %.3f - direct %.3f = %.3f); gateway CPU %d us/request\n" \
    "${REPEAT:-3}" $kind "$(col 2 | med)" "$(col 2 | sort -n | head -1)" "$(col 2 | sort -n | tail -1)" "$(col 3 | med)" \
    "$(col 6 | med)" "$(col 5 | med)" "$(awk -v g="$(col 6 | med)" -v d="$(col 5 | med)" 'BEGIN {print g - d}')" "$(col 4 | med)"
done
[ "${SWEEP:-on}" = off ] && exit 0
echo "== rate sweep (highest rate with p99 added < 5 ms)"
for mode in 0 1; do
  for c in 20 40 60 80 120 160; do
    line=$(compare "$c" "$mode"); echo "$line"
    added=$(head -1 <<<"$line" | sed -E 's/.*, adds p50 [-0-9.]+ p99 ([-0-9.]+) ms.*/\1/')
    awk -v a="$added" 'BEGIN { exit !(a >= 5) }' && break
  done
done
echo "gateway RSS: $(grep VmRSS /proc/$GW/status | awk '{print $2/1024 " MB"}')"
