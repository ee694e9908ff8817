#!/usr/bin/env bash
# Each bundled plugin's cost on the wire, one at a time: one Portico (started by the launcher, as
# users start it) with a route per plugin in front of one nginx backend; wrk drives each route in
# turn and the gateway's CPU time is read around each drive, so the figures compare routes of the
# same process in the same minute.
#
#   loadtest/plugin-cost.sh [rounds=2] [seconds=8] [connections=64]
#
# Routes: /plain (no plugin, metrics off), /jwt-auth (a cached RS256 token), /rate-limit (a limit
# it never reaches), /circuit-breaker, /metrics (the metrics plugin alone), /chain (all four).
# Prints req/s and requests per CPU-second of the gateway per route, and each one's CPU per
# request over /plain's (the plugin's own cost, in microseconds). 127.0.0.1 only; every process
# is stopped on exit.
set -euo pipefail
rounds=${1:-2}
secs=${2:-8}
conns=${3:-64}
root="$(cd "$(dirname "$0")/.." && pwd)"
launcher="$root/gateway-dist/portico"
lua="$root/loadtest/wrk/percentiles.lua"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
for tool in nginx wrk curl python3 openssl; do
  command -v "$tool" >/dev/null || { echo "$tool is required (apt-get install $tool)"; exit 2; }
done
clk_tck=$(getconf CLK_TCK)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
backend=$(free_port); port=$(free_port); admin=$(free_port)

cat > "$work/nginx.conf" <<NGX
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path $work; proxy_temp_path $work; fastcgi_temp_path $work;
  uwsgi_temp_path $work; scgi_temp_path $work;
  server { listen 127.0.0.1:$backend; location / { return 200 'ok'; } } }
NGX

# An RSA key, its JWKS (a static file jwt-auth reads) and one RS256 token valid for a day.
token=$(python3 "$root/loadtest/wrk/jwt-token.py" "$work")

jwt="jwt-auth: { issuer: https://id.loadtest, audiences: [users], jwks-file: $work/jwks.json }"
rl="rate-limit: { limits: [{ capacity: 1000000000, per: 1s }] }"
cb="circuit-breaker: { failures: 5, window: 10s, reset: 5s }"
route() { # name plugins
  printf '  - name: %s\n    match: { path-prefix: /%s }\n    upstream: backend\n    plugins: { %s }\n' "$1" "$1" "$2"
}
{
  printf 'listen: { host: 127.0.0.1, port: %s }\nadmin: { host: 127.0.0.1, port: %s }\n' "$port" "$admin"
  printf 'upstreams:\n  - name: backend\n    endpoints: [127.0.0.1:%s]\nroutes:\n' "$backend"
  route plain "metrics: false"
  route jwt-auth "$jwt, metrics: false"
  route rate-limit "$rl, metrics: false"
  route circuit-breaker "$cb, metrics: false"
  route metrics ""
  route chain "$jwt, $rl, $cb"
} > "$work/gateway.yaml"

nginx -c "$work/nginx.conf" & pids+=($!)
env -u JAVA_TOOL_OPTIONS PORTICO_SKIP_BUILD="${PORTICO_SKIP_BUILD:-}" "$launcher" run --config "$work/gateway.yaml" \
  > "$work/gateway.log" 2>&1 & pids+=($!); gw=$!
for i in $(seq 1 1500); do
  curl -fs -o /dev/null "http://127.0.0.1:$admin/readyz" 2>/dev/null && break
  kill -0 "$gw" 2>/dev/null || { cat "$work/gateway.log"; exit 1; }
  sleep 0.1
done
java_pid=$(pgrep -P "$gw" java || echo "$gw")  # the launcher execs java; either way this is the JVM
routes="plain jwt-auth rate-limit circuit-breaker metrics chain"
for r in $routes; do
  curl -fs -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$port/$r" \
    || { echo "/$r does not proxy"; cat "$work/gateway.log"; exit 1; }
done
ticks() { awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$java_pid/stat"; }
drive() { WRK_TOKEN="$token" wrk -t1 -c"$conns" -d"${2}s" -s "$lua" "http://127.0.0.1:$port/$1"; }

echo "warming up (JIT), 5 s a route ..."
for r in $routes; do drive "$r" 5 > /dev/null; done
: > "$work/results"
for n in $(seq 1 "$rounds"); do
  for r in $routes; do
    c0=$(ticks); out=$(drive "$r" "$secs"); c1=$(ticks)
    echo "$out" | awk -v r="$r" -v cpu="$(( c1 - c0 ))" -v hz="$clk_tck" '
      /^SUMMARY/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); s[kv[1]] = kv[2] } }
      /^PCT 99 / { p99 = $3 }
      END { print r, s["requests"], s["rps"], cpu / hz, p99, s["errors"] + s["non2xx"] }' >> "$work/results"
  done
done
awk -v routes="$routes" '
  { req[$1] += $2; rps[$1] += $3; cpu[$1] += $4; p99[$1] += $5; n[$1]++; err[$1] += $6 }
  END {
    printf "%-16s %9s %8s %10s %12s %14s %7s\n", "route", "req/s", "p99_ms", "req/cpu-s", "cpu_us/req", "over_plain_us", "errors"
    base = cpu["plain"] * 1e6 / req["plain"]
    m = split(routes, rs, " ")
    for (i = 1; i <= m; i++) {
      r = rs[i]; us = cpu[r] * 1e6 / req[r]
      printf "%-16s %9.0f %8.3f %10.0f %12.2f %14.2f %7d\n", r, rps[r] / n[r], p99[r] / n[r], req[r] / cpu[r], us, us - base, err[r]
    }
  }' "$work/results"
