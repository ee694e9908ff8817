#!/usr/bin/env bash
# Unary gRPC calls per second through Portico and through nginx `grpc_pass`, to the same gRPC
# server, on this machine, with the same load generator (h2load), interleaved.
#
#   loadtest/grpc-vs-nginx.sh [rounds=3] [seconds=10] [connections=8] [streams-per-connection=16]
#
# Starts a grpc-java echo server (io.portico.bench.GrpcEchoServer), nginx (1 worker, HTTP/2 over
# cleartext to clients, grpc_pass with upstream keep-alive) and Portico (as the launcher starts it,
# one event loop, `protocol: h2c` to the server), checks once through each that a call comes back
# with `grpc-status: 0` and the message, then drives each with h2load (POST of one framed 64-byte
# message, `content-type: application/grpc`, `te: trailers`) and prints calls/s, p50 and p99 (from
# h2load's per-request log) and the Portico/nginx ratios. At the end the server's count of answered
# calls must cover every call h2load counted as succeeded (an HTTP 200 without the call reaching
# the server would otherwise pass as a success). Traffic goes to 127.0.0.1 only and stops by itself.
set -euo pipefail
rounds=${1:-3}
secs=${2:-10}
conns=${3:-8}
streams=${4:-16}
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/gateway-dist/target/portico.jar"
work="$(mktemp -d)"
pids=()
server_pid=
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for tool in nginx h2load nghttp; do
  command -v "$tool" >/dev/null || { echo "$tool is required (apt-get install nginx nghttp2-client)"; exit 2; }
done
[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests -pl gateway-dist -am package)
cp_file="$work/classpath"
(cd "$root" && mvn -o -q -pl loadtest -am compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
grpc_port=$(free_port); nginx_port=$(free_port); portico_port=$(free_port); admin_port=$(free_port)

# one gRPC message: flag 0, 4-byte big-endian length, 64 bytes of payload
python3 -c 'import sys; p=b"x"*64; sys.stdout.buffer.write(b"\0"+len(p).to_bytes(4,"big")+p)' > "$work/call.bin"

mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<NGX
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  # nginx closes a connection after keepalive_requests (default 1000) calls; h2load does not
  # reconnect, so without these the measured rate is 1000 calls per connection per round
  keepalive_requests 10000000;
  upstream grpc_backend { server 127.0.0.1:$grpc_port; keepalive 64; keepalive_requests 10000000; }
  server {
    listen 127.0.0.1:$nginx_port http2;
    http2_max_concurrent_streams 256;
    location / { grpc_pass grpc://grpc_backend; }
  }
}
NGX
cat > "$work/portico.yaml" <<YAML
listen: { host: 127.0.0.1, port: $portico_port, instances: 1 }
admin: { host: 127.0.0.1, port: $admin_port }
upstreams:
  - name: echo
    endpoints: [127.0.0.1:$grpc_port]
    protocol: h2c
routes:
  - name: echo
    match: { path-prefix: /bench.Echo/ }
    upstream: echo
YAML

classes="$root/loadtest/target/classes"
java -Xmx256m -cp "$classes:$(cat "$cp_file")" io.portico.bench.GrpcEchoServer "$grpc_port" > "$work/server.log" 2>&1 &
server_pid=$!
nginx -c "$work/nginx/nginx.conf" & pids+=($!)
PORTICO_SKIP_BUILD=1 "$root/gateway-dist/portico" run --config "$work/portico.yaml" > "$work/portico.log" 2>&1 & pids+=($!)
for i in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$admin_port/readyz" >/dev/null 2>&1 && grep -q listening "$work/server.log" && break
  sleep 0.2
done

check() { # name port: one call by hand, trailers and message must come back
  local out
  out=$(nghttp -v -H 'content-type: application/grpc' -H 'te: trailers' -d "$work/call.bin" \
    "http://127.0.0.1:$2/bench.Echo/Unary" 2>&1) || true
  if ! grep -q 'grpc-status: 0' <<<"$out"; then
    echo "$1 did not answer the call with grpc-status 0:"; echo "$out" | tail -20
    [ "$1" = portico ] && tail -20 "$work/portico.log"
    exit 1
  fi
}
check nginx "$nginx_port"
check portico "$portico_port"

run_h2load() { # port label -> "calls/s p50 p99 succeeded"
  local log="$work/$2.log.tsv" out
  out=$(h2load -D "$secs" -c "$conns" -m "$streams" -d "$work/call.bin" \
    -H 'content-type: application/grpc' -H 'te: trailers' --log-file="$log" \
    "http://127.0.0.1:$1/bench.Echo/Unary" 2>&1)
  local rps ok
  rps=$(awk '/^finished in/ {gsub(",","",$4); print $4}' <<<"$out")
  ok=$(awk '/^requests:/ {print $8}' <<<"$out")
  # column 3: microseconds from the request's start to the end of its answer
  read -r p50 p99 < <(awk -F'\t' '$2==200 {print $3}' "$log" | sort -n | awk '
    { v[NR]=$1 } END { if (NR==0) { print "0 0"; exit }
      i50=int(NR*0.50); if (i50<1) i50=1; i99=int(NR*0.99); if (i99<1) i99=1
      printf "%.3f %.3f\n", v[i50]/1000, v[i99]/1000 }')
  rm -f "$log"
  echo "$rps $p50 $p99 $ok"
}

echo "warming up (JIT) ..."
h2load -D 10 -c "$conns" -m "$streams" -d "$work/call.bin" -H 'content-type: application/grpc' -H 'te: trailers' \
  "http://127.0.0.1:$portico_port/bench.Echo/Unary" >/dev/null 2>&1
h2load -D 2 -c "$conns" -m "$streams" -d "$work/call.bin" -H 'content-type: application/grpc' -H 'te: trailers' \
  "http://127.0.0.1:$nginx_port/bench.Echo/Unary" >/dev/null 2>&1

printf "%-6s %-8s %12s %10s %10s\n" round target calls/s p50_ms p99_ms
: > "$work/results"
succeeded=0
for r in $(seq 1 "$rounds"); do
  for target in nginx portico; do
    port=$nginx_port; [ "$target" = portico ] && port=$portico_port
    read -r rps p50 p99 ok < <(run_h2load "$port" "$target")
    succeeded=$((succeeded + ok))
    printf "%-6s %-8s %12s %10s %10s\n" "$r" "$target" "$rps" "$p50" "$p99"
    echo "$target $rps $p50 $p99" >> "$work/results"
  done
done
awk '
  { n[$1]++; rps[$1]+=$2; p50[$1]+=$3; p99[$1]+=$4 }
  END {
    printf "\nmean    nginx: %.0f calls/s p50 %.3f ms p99 %.3f ms\n", rps["nginx"]/n["nginx"], p50["nginx"]/n["nginx"], p99["nginx"]/n["nginx"]
    printf "mean  portico: %.0f calls/s p50 %.3f ms p99 %.3f ms\n", rps["portico"]/n["portico"], p50["portico"]/n["portico"], p99["portico"]/n["portico"]
    printf "ratio portico/nginx: calls/s %.2f  p50 %.2f  p99 %.2f\n", rps["portico"]/rps["nginx"], p50["portico"]/p50["nginx"], p99["portico"]/p99["nginx"]
  }' "$work/results"

kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
answered=$(awk '/^answered/ {print $2}' "$work/server.log")
echo "server answered $answered calls; h2load counted $succeeded succeeded in the measured rounds (plus warm-up)"
if [ -z "$answered" ] || [ "$answered" -lt "$succeeded" ]; then
  echo "FAIL: fewer calls reached the server than h2load counted as succeeded"; exit 1
fi
