#!/usr/bin/env bash
# Bytes allocated per proxied request on the gateway's event loops, plain proxy and full chain
# (jwt-auth with a cached token, rate-limit, circuit-breaker, metrics). Gateway, backend and
# clients in one JVM on Vert.x instances of their own, 127.0.0.1 only, a fixed number of requests.
# A count, not a time: the figure does not depend on how busy the machine is.
#
#   loadtest/allocation.sh [requests=20000] [warm-up=20000] [connections=4] [plain|full-chain|PLUGIN,...]
#   PLUGIN,...: only these of the full chain (jwt-auth, rate-limit, circuit-breaker, metrics)
#   JAVA_OPTS=... adds JVM options (e.g. -XX:StartFlightRecording=... to see where the bytes go)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
(cd "$root" && mvn -o -q -pl loadtest -am compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null)
classes="$root/loadtest/target/classes:$root/gateway-core/target/classes:$root/plugin-api/target/classes"
java -XX:+UseSerialGC -Xmx256m ${JAVA_OPTS:-} -cp "$classes:$(cat "$cp_file")" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  io.portico.bench.AllocationBench "${1:-20000}" "${2:-20000}" "${3:-4}" ${4:-}
