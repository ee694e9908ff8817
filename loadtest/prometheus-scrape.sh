#!/usr/bin/env bash
# Has a real Prometheus server scrape Portico's admin /metrics and query a request rate.
#
#   loadtest/prometheus-scrape.sh
#
# Starts the gateway (with the metrics plugin) and two echo backends, Prometheus scraping the admin
# port every second, sends 300 requests to 127.0.0.1 in three batches, then asks Prometheus for
# sum(rate(portico_requests_total[20s])) and prints it. Exits non-zero when the rate is not positive.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/gateway-dist/target/portico.jar"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
command -v prometheus >/dev/null || { echo "prometheus is required (apt-get install prometheus)"; exit 2; }
[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests -pl gateway-dist -am package)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
listen=$(free_port); admin=$(free_port); b1=$(free_port); b2=$(free_port); prom=$(free_port)

cat > "$work/gateway.yaml" <<YAML
listen: { host: 127.0.0.1, port: $listen }
admin: { host: 127.0.0.1, port: $admin }
upstreams: [{ name: echo, endpoints: [127.0.0.1:$b1, 127.0.0.1:$b2] }]
routes: [{ name: echo, match: { path-prefix: /echo }, upstream: echo, strip-prefix: true }]
plugins: { metrics: {} }
YAML
cat > "$work/prometheus.yml" <<YAML
global: { scrape_interval: 1s, evaluation_interval: 1s }
scrape_configs:
  - job_name: portico
    static_configs: [{ targets: ["127.0.0.1:$admin"] }]
YAML

java -jar "$jar" demo --config "$work/gateway.yaml" --backends "$b1,$b2" > "$work/portico.log" 2>&1 & pids+=($!)
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom" > "$work/prometheus.log" 2>&1 & pids+=($!)
for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$admin/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$prom/-/ready" >/dev/null 2>&1 && break; sleep 0.2; done

sleep 3 # a first scrape before the traffic
for batch in 1 2 3; do # the traffic spans several scrapes, so the counter is seen rising
  for i in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$listen/echo/$batch-$i"; done
  sleep 2
done
query='sum(rate(portico_requests_total{route="echo"}[20s]))'
answer=$(curl -fs --get "http://127.0.0.1:$prom/api/v1/query" --data-urlencode "query=$query")
echo "$query -> $answer"
rate=$(python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)' <<< "$answer")
echo "request rate seen by Prometheus: $rate req/s"
python3 -c "import sys; sys.exit(0 if float('$rate') > 0 else 1)"
