#!/usr/bin/env bash
# TLS figures of Portico next to nginx, on this machine, with the same certificate.
#
#   loadtest/tls-vs-nginx.sh [rounds] [seconds] [connections]
#
# Makes a test CA and a certificate with openssl, starts an nginx backend (plain, and TLS for the
# upstream case), an nginx TLS reverse proxy (1 worker, upstream keep-alive) and Portico (1 event
# loop), then drives them with wrk, interleaved, for several rounds:
#   edge-keepalive   HTTPS to the proxy over kept-alive connections
#   edge-handshake   HTTPS with `Connection: close`: one full handshake per request
#   upstream-plain   plain HTTP to Portico, plain HTTP upstream
#   upstream-tls     plain HTTP to Portico, verified TLS upstream (pooled, sessions resumed)
# and prints req/s, p50, p99 and the ratios. Traffic goes to 127.0.0.1 only and stops by itself.
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

for tool in nginx wrk openssl; do command -v $tool >/dev/null || { echo "$tool is required"; exit 2; }; done
[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests -pl gateway-dist -am package)

# the certificates: one CA, one server certificate for bench.test (and 127.0.0.1)
(cd "$work" \
  && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=Bench CA" \
       -keyout ca.key -out ca.pem -addext "basicConstraints=critical,CA:TRUE" \
       -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null \
  && openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=bench.test" \
       -keyout server.key -out server.csr 2>/dev/null \
  && printf "subjectAltName=DNS:bench.test,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n" > server.ext \
  && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext \
       -out server.pem 2>/dev/null)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
backend=$(free_port); tls_backend=$(free_port); nginx_port=$(free_port)
edge_port=$(free_port); plain_port=$(free_port); admin1=$(free_port); admin2=$(free_port)

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
tls_nginx="ssl_certificate $work/server.pem; ssl_certificate_key $work/server.key; ssl_protocols TLSv1.2 TLSv1.3; ssl_session_cache shared:S:1m;"
nginx_conf backend "server { listen 127.0.0.1:$backend; location / { return 200 'ok'; } }
  server { listen 127.0.0.1:$tls_backend ssl; $tls_nginx keepalive_requests 100000; location / { return 200 'ok'; } }"
nginx_conf proxy "upstream b { server 127.0.0.1:$backend; keepalive 64; }
  server { listen 127.0.0.1:$nginx_port ssl; $tls_nginx keepalive_requests 100000;
    location / { proxy_pass http://b; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"
cat > "$work/edge.yaml" <<YAML
listen: { host: 127.0.0.1, port: $edge_port, instances: 1, tls: { cert: server.pem, key: server.key } }
admin: { host: 127.0.0.1, port: $admin1 }
upstreams:
  - { name: backend, endpoints: [127.0.0.1:$backend] }
routes:
  - { name: all, upstream: backend }
YAML
cat > "$work/plain.yaml" <<YAML
listen: { host: 127.0.0.1, port: $plain_port, instances: 1 }
admin: { host: 127.0.0.1, port: $admin2 }
upstreams:
  - { name: plain, endpoints: [127.0.0.1:$backend] }
  - { name: secure, endpoints: [127.0.0.1:$tls_backend], tls: { ca: ca.pem, server-name: bench.test } }
routes:
  - { name: secure, match: { path-prefix: /tls }, upstream: secure }
  - { name: plain, upstream: plain }
YAML

nginx -c "$work/backend/nginx.conf" & pids+=($!)
nginx -c "$work/proxy/nginx.conf" & pids+=($!)
for config in edge plain; do
  java ${JAVA_OPTS:-$(awk '{ sub(/#.*/, ""); for (i = 1; i <= NF; i++) printf "%s ", $i }' "$root/gateway-dist/jvm.options")} -jar "$jar" run --config "$work/$config.yaml" > "$work/$config.log" 2>&1 & pids+=($!)
done
for admin in $admin1 $admin2; do
  for i in $(seq 1 150); do curl -fs "http://127.0.0.1:$admin/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
done
curl -fsk "https://127.0.0.1:$edge_port/" >/dev/null || { echo "portico (edge) did not start:"; cat "$work/edge.log"; exit 1; }
curl -fs "http://127.0.0.1:$plain_port/tls" >/dev/null || { echo "portico (upstream tls) failed:"; cat "$work/plain.log"; exit 1; }

to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.3f", v}'; }
run_wrk() { # url [header] -> "rps p50 p99"
  local out
  if [ -n "${2:-}" ]; then out=$(wrk -t1 -c"$conns" -d"${secs}s" --latency -H "$2" "$1"); else out=$(wrk -t1 -c"$conns" -d"${secs}s" --latency "$1"); fi
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(echo "$out" | awk '$1=="50%" {print $2}' | to_ms) $(echo "$out" | awk '$1=="99%" {print $2}' | to_ms)"
}

echo "warming up (JIT) ..."
wrk -t1 -c"$conns" -d5s "https://127.0.0.1:$edge_port/" >/dev/null
wrk -t1 -c"$conns" -d3s -H "Connection: close" "https://127.0.0.1:$edge_port/" >/dev/null
wrk -t1 -c"$conns" -d5s "http://127.0.0.1:$plain_port/tls" >/dev/null
wrk -t1 -c"$conns" -d3s "http://127.0.0.1:$plain_port/" >/dev/null
wrk -t1 -c"$conns" -d2s "https://127.0.0.1:$nginx_port/" >/dev/null

printf "%-6s %-26s %12s %10s %10s\n" round case req/s p50_ms p99_ms
: > "$work/results"
measure() { # round name url [header]
  read -r rps p50 p99 < <(run_wrk "$3" "${4:-}")
  printf "%-6s %-26s %12s %10s %10s\n" "$1" "$2" "$rps" "$p50" "$p99"
  echo "$2 $rps $p50 $p99" >> "$work/results"
}
for r in $(seq 1 "$rounds"); do
  measure "$r" nginx-edge-keepalive "https://127.0.0.1:$nginx_port/"
  measure "$r" portico-edge-keepalive "https://127.0.0.1:$edge_port/"
  measure "$r" nginx-edge-handshake "https://127.0.0.1:$nginx_port/" "Connection: close"
  measure "$r" portico-edge-handshake "https://127.0.0.1:$edge_port/" "Connection: close"
  measure "$r" portico-upstream-plain "http://127.0.0.1:$plain_port/"
  measure "$r" portico-upstream-tls "http://127.0.0.1:$plain_port/tls"
done
awk '
  { n[$1]++; rps[$1]+=$2; p99[$1]+=$4 }
  END {
    for (k in n) printf "mean %-26s %9.0f req/s  p99 %.3f ms\n", k, rps[k]/n[k], p99[k]/n[k]
    printf "ratio edge keep-alive  portico/nginx: %.2f\n", rps["portico-edge-keepalive"]/rps["nginx-edge-keepalive"]
    printf "ratio edge handshakes  portico/nginx: %.2f\n", rps["portico-edge-handshake"]/rps["nginx-edge-handshake"]
    printf "ratio upstream tls/plain (portico):   %.2f\n", rps["portico-upstream-tls"]/rps["portico-upstream-plain"]
  }' "$work/results"
