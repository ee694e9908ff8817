#!/usr/bin/env bash
# Failure matrix: real etcd cluster, Redis, two Portico replicas and backends on 127.0.0.1 under
# load, faults injected one at a time; writes loadtest/chaos/out/failure-matrix.md and .png.
#   loadtest/chaos/run.sh                 the full matrix
#   loadtest/chaos/run.sh --short         each injection once, short faults (CI, a few minutes)
#   loadtest/chaos/run.sh --soak [--duration 30m]   steady load with churn; memory, threads, fds
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in etcd etcdctl redis-server redis-cli java jcmd; do
  command -v "$tool" >/dev/null || { echo "chaos: $tool is not installed" >&2; exit 2; }
done
command -v gnuplot >/dev/null || echo "chaos: gnuplot is not installed: no PNG" >&2
PY=/usr/bin/python3
"$PY" -c 'import cryptography' 2>/dev/null || PY=python3
[ -f gateway-dist/target/portico.jar ] || mvn -o -q -B -DskipTests -pl gateway-dist -am package
exec "$PY" loadtest/chaos/chaos.py --cmd "loadtest/chaos/run.sh $*" "$@"
