#!/usr/bin/env bash
# Time from process start to /readyz 200, the two ways users start Portico:
#   launcher  gateway-dist/portico run (JVM options from gateway-dist/jvm.options)
#   image     java as deploy/Dockerfile runs it (its JAVA_TOOL_OPTIONS and ENTRYPOINT options), in a
#             512 MiB pod (-XX:MaxRAM=512m)
# on a plain proxy config, three ways:
#   before   no class-data archive, Netty's allocator JFR events on (how Portico started before both)
#   no-cds   no class-data archive (PORTICO_CDS=0; the image without its entrypoint's options)
#   shipped  as shipped: the class-data archive, Netty's JFR events off
# Prints the median of N starts (default 5) of wall ms and CPU ms (user + system, JIT and GC
# threads included) at the first /readyz 200. CPU time does not depend on how busy the machine
# is; wall time does.
#   loadtest/startup.sh [starts]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
starts=${1:-5}
jar="$root/gateway-dist/target/portico.jar"
launcher="$root/gateway-dist/portico"
clk_tck=$(getconf CLK_TCK)

[ -f "$jar" ] || { echo "build first: mvn -o -q -B -DskipTests -pl gateway-dist -am package"; exit 2; }
image_opts=$(sed -n 's/^ENV JAVA_TOOL_OPTIONS="\(.*\)"$/\1/p' "$root/deploy/Dockerfile")
[ -n "$image_opts" ] || { echo "no ENV JAVA_TOOL_OPTIONS=\"...\" line in deploy/Dockerfile"; exit 2; }
# The entrypoint's own JVM options (between "java" and "-jar": the class-data archive's), with the
# image's archive path replaced by the one trained here.
entry_opts=$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar".*$/\1/p' "$root/deploy/Dockerfile" | sed 's/", "/ /g; s/"//g')

work=$(mktemp -d); pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

launcher_opts=$(awk '{ sub(/#.*/, ""); for (i = 1; i <= NF; i++) printf "%s ", $i }' "$root/gateway-dist/jvm.options")

one_start() { # how(launcher|image) way(before|no-cds|shipped) -> "wall_ms cpu_ms"
  local p a now cpu
  p=$(free_port); a=$(free_port)
  cat > "$work/gateway.yaml" <<YAML
listen: { host: 127.0.0.1, port: $p }
admin: { host: 127.0.0.1, port: $a }
upstreams:
  - name: backend
    endpoints: [127.0.0.1:$(free_port)]
routes:
  - name: all
    match: { path-prefix: / }
    upstream: backend
plugins: { metrics: false }
YAML
  now=$(date +%s%N)
  if [ "$1" = launcher ]; then
    local cds=(); [ "$2" = no-cds ] && cds=(PORTICO_CDS=0)
    [ "$2" = before ] && cds=(PORTICO_CDS=0 JAVA_OPTS="$launcher_opts -Dio.netty.jfr.enabled=true")
    env -u JAVA_TOOL_OPTIONS -u JAVA_OPTS PORTICO_SKIP_BUILD=1 "${cds[@]}" "$launcher" run --config "$work/gateway.yaml" \
      > "$work/log" 2>&1 &
  else
    local cds=(); [ "$2" = shipped ] && read -ra cds <<< "${entry_opts//\/opt\/portico\/portico.jsa/$work/image.jsa}"
    [ "$2" = before ] && cds=(-Dio.netty.jfr.enabled=true)
    env -u JAVA_OPTS JAVA_TOOL_OPTIONS="$image_opts" java -XX:MaxRAM=512m ${cds[@]+"${cds[@]}"} -jar "$jar" \
      run --config "$work/gateway.yaml" > "$work/log" 2>&1 &
  fi
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$a/readyz" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "portico exited:" >&2; cat "$work/log" >&2; exit 1; }
    sleep 0.005
  done
  local wall=$(( ($(date +%s%N) - now) / 1000000 ))
  cpu=$(( $(awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$pid/stat") * 1000 / clk_tck ))
  kill -TERM "$pid"; wait "$pid" || true; pid=""
  if grep -qi "cds\|shar" "$work/log"; then echo "unexpected output:" >&2; cat "$work/log" >&2; exit 1; fi
  echo "$wall $cpu"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# The launcher writes its archive on first use after a build; the image at build time, with the
# same training run (deploy/Dockerfile's RUN step, repeated here on the jar built here).
env -u JAVA_TOOL_OPTIONS -u JAVA_OPTS PORTICO_SKIP_BUILD=1 "$launcher" help > /dev/null
JAVA_TOOL_OPTIONS="$image_opts" "$root/gateway-dist/train-cds" "$work/image.jsa" "$jar" "$root/routes/gateway.yaml" \
  -XX:MaxRAM=512m 2> /dev/null
[ -f "$work/image.jsa" ] || { echo "no image archive written"; exit 1; }

printf "%-9s %-8s %8s %8s   (median of %d starts; each start: wall, cpu ms)\n" start way wall_ms cpu_ms "$starts"
for how in launcher image; do
  for way in before no-cds shipped; do
    runs=()
    for i in $(seq 1 "$starts"); do runs+=("$(one_start $how $way)"); done
    wall=$(printf "%s\n" "${runs[@]}" | cut -d' ' -f1 | median)
    cpu=$(printf "%s\n" "${runs[@]}" | cut -d' ' -f2 | median)
    printf "%-9s %-8s %8s %8s   %s\n" "$how" "$way" "$wall" "$cpu" "$(printf "%s, " "${runs[@]}" | sed 's/, $//')"
  done
done
