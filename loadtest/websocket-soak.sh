#!/usr/bin/env bash
# Many WebSocket tunnels echoing through Portico at once, for a while: counts every message sent
# and echoed (lost, out of order) and the echo latency. Gateway, echo server and clients run in one
# JVM, one event loop each, on 127.0.0.1 only; it stops by itself.
#
#   loadtest/websocket-soak.sh [tunnels=1000] [seconds=10] [interval-ms=100]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
(cd "$root" && mvn -o -q -pl loadtest -am compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null)
classes="$root/loadtest/target/classes:$root/gateway-core/target/classes:$root/plugin-api/target/classes"
exec java -Xmx512m -cp "$classes:$(cat "$cp_file")" io.portico.bench.WebSocketSoak "$@"
