#!/usr/bin/env bash
# Adaptive concurrency vs a fixed max-connections vs none, at 1x, 2x and 4x a fixed-capacity
# backend's capacity (goodput and p99 of admitted requests), then the hedging p99 with and
# without. Gateway, backends and clients in one JVM, one event loop each, 127.0.0.1 only; each
# point runs for the given seconds, so the whole run is bounded (11 points). Writes the CSV to
# stdout and, with gnuplot installed and an output path given, a PNG of goodput and p99 against load.
#
#   loadtest/resilience.sh [seconds=5] [workers=8] [service-ms=20] [png]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cp_file="$(mktemp)"
csv="$(mktemp)"
trap 'rm -f "$cp_file" "$csv"' EXIT
(cd "$root" && mvn -o -q -pl loadtest -am compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null)
classes="$root/loadtest/target/classes:$root/gateway-core/target/classes:$root/plugin-api/target/classes"
java -Xmx512m -cp "$classes:$(cat "$cp_file")" io.portico.bench.ResilienceBench "${1:-5}" "${2:-8}" "${3:-20}" | tee "$csv"
png="${4:-}"
if [[ -n "$png" ]] && command -v gnuplot >/dev/null; then
  for mode in adaptive fixed none; do grep "^$mode," "$csv" | tr -d x > "$csv.$mode"; done
  gnuplot <<PLOT
set datafile separator ","
set terminal pngcairo size 900,400
set output "$png"
set multiplot layout 1,2
set xlabel "offered load (x capacity)"
set ylabel "goodput (admitted/s)"
plot for [m in "adaptive fixed none"] "$csv.".m using 2:5 with linespoints title m
set ylabel "p99 of admitted (ms)"
plot for [m in "adaptive fixed none"] "$csv.".m using 2:8 with linespoints title m
PLOT
  rm -f "$csv".adaptive "$csv".fixed "$csv".none
  echo "plot: $png"
fi
