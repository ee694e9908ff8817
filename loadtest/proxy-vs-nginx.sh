#!/usr/bin/env bash
# Compares Portico (statistics off, no plugins) with nginx as a reverse proxy to the same backend, on this machine.
#
#   loadtest/proxy-vs-nginx.sh [rounds] [seconds] [connections]
#   WITH_STATS=1 loadtest/proxy-vs-nginx.sh ...   also runs a second Portico with statistics
#                                                  on (the default), to measure what they cost
#
# Starts an nginx backend that answers `return 200`, an nginx reverse proxy (1 worker, upstream
# keep-alive) and Portico (1 event loop) in front of it, then drives each with wrk, interleaved,
# for several rounds, and prints req/s, p50, p99 and the Portico/nginx ratios. Traffic goes to
# 127.0.0.1 only and stops by itself.
set -euo pipefail
rounds=${1:-3}
secs=${2:-10}
conns=${3:-50}
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/gateway-dist/target/portico.jar"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

command -v nginx >/dev/null || { echo "nginx is required (apt-get install nginx)"; exit 2; }
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)"; exit 2; }
[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests -pl gateway-dist -am package)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
backend=$(free_port); nginx_port=$(free_port); portico_port=$(free_port); admin_port=$(free_port)
stats_port=$(free_port); stats_admin=$(free_port)

nginx_conf() { # name body
  mkdir -p "$work/$1"
  cat > "$work/$1/nginx.conf" <<NGX
worker_processes 1;
daemon off;
pid $work/$1/nginx.pid;
error_log $work/$1/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/$1; proxy_temp_path $work/$1; fastcgi_temp_path $work/$1;
  uwsgi_temp_path $work/$1; scgi_temp_path $work/$1;
  $2
}
NGX
}
nginx_conf backend "server { listen 127.0.0.1:$backend; location / { return 200 'ok'; } }"
nginx_conf proxy "upstream b { server 127.0.0.1:$backend; keepalive 64; }
  server { listen 127.0.0.1:$nginx_port; location / { proxy_pass http://b; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"
cat > "$work/portico.yaml" <<YAML
listen: { host: 127.0.0.1, port: $portico_port, instances: 1 }
admin: { host: 127.0.0.1, port: $admin_port }
upstreams:
  - name: backend
    endpoints: [127.0.0.1:$backend]
routes:
  - name: all
    match: { path-prefix: / }
    upstream: backend
YAML

sed -e "s/port: $portico_port,/port: $stats_port,/" -e "s/port: $admin_port }/port: $stats_admin }/" "$work/portico.yaml" > "$work/stats.yaml"
# statistics are on by default: the plain proxy turns them off, the second one keeps the default
printf 'plugins: { metrics: false }\n' >> "$work/portico.yaml"

nginx -c "$work/backend/nginx.conf" & pids+=($!)
nginx -c "$work/proxy/nginx.conf" & pids+=($!)
java ${JAVA_OPTS:--XX:+UseSerialGC -Xmn64m} -jar "$jar" run --config "$work/portico.yaml" > "$work/portico.log" 2>&1 & pids+=($!)
targets="nginx portico"
if [ "${WITH_STATS:-}" = 1 ]; then
  java ${JAVA_OPTS:--XX:+UseSerialGC -Xmn64m} -jar "$jar" run --config "$work/stats.yaml" > "$work/stats.log" 2>&1 & pids+=($!)
  targets="nginx portico stats"
  for i in $(seq 1 100); do curl -fs "http://127.0.0.1:$stats_admin/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
fi
for i in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$admin_port/readyz" >/dev/null 2>&1 && break; sleep 0.2
done
curl -fs "http://127.0.0.1:$portico_port/" >/dev/null || { echo "portico did not start:"; cat "$work/portico.log"; exit 1; }

# wrk prints latency with units; normalise to milliseconds.
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.3f", v}'; }
run_wrk() { # url -> "rps p50 p99"
  local out; out=$(wrk -t1 -c"$conns" -d"${secs}s" --latency "$1")
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}' | to_ms)
  p99=$(echo "$out" | awk '$1=="99%" {print $2}' | to_ms)
  echo "$rps $p50 $p99"
}

echo "warming up (JIT) ..."
wrk -t1 -c"$conns" -d5s "http://127.0.0.1:$portico_port/" >/dev/null
[ "${WITH_STATS:-}" = 1 ] && wrk -t1 -c"$conns" -d5s "http://127.0.0.1:$stats_port/" >/dev/null
wrk -t1 -c"$conns" -d2s "http://127.0.0.1:$nginx_port/" >/dev/null

printf "%-6s %-8s %12s %10s %10s\n" round target req/s p50_ms p99_ms
: > "$work/results"
for r in $(seq 1 "$rounds"); do
  for target in $targets; do
    port=$nginx_port; [ "$target" = portico ] && port=$portico_port; [ "$target" = stats ] && port=$stats_port
    read -r rps p50 p99 < <(run_wrk "http://127.0.0.1:$port/")
    printf "%-6s %-8s %12s %10s %10s\n" "$r" "$target" "$rps" "$p50" "$p99"
    echo "$target $rps $p50 $p99" >> "$work/results"
  done
done
awk '
  { n[$1]++; rps[$1]+=$2; p50[$1]+=$3; p99[$1]+=$4 }
  END {
    printf "\nmean    nginx: %.0f req/s p50 %.3f ms p99 %.3f ms\n", rps["nginx"]/n["nginx"], p50["nginx"]/n["nginx"], p99["nginx"]/n["nginx"]
    printf "mean  portico: %.0f req/s p50 %.3f ms p99 %.3f ms\n", rps["portico"]/n["portico"], p50["portico"]/n["portico"], p99["portico"]/n["portico"]
    printf "ratio portico/nginx: req/s %.2f  p50 %.2f  p99 %.2f\n", rps["portico"]/rps["nginx"], p50["portico"]/p50["nginx"], p99["portico"]/p99["nginx"]
    if (n["stats"] > 0) {
      printf "mean    stats: %.0f req/s p50 %.3f ms p99 %.3f ms\n", rps["stats"]/n["stats"], p50["stats"]/n["stats"], p99["stats"]/n["stats"]
      printf "metrics plugin cost: %.1f%% of throughput\n", 100 * (1 - rps["stats"]/rps["portico"])
    }
  }' "$work/results"
