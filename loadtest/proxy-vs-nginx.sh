#!/usr/bin/env bash
# Portico against nginx as a reverse proxy to the same backend, on this machine, in one
# interleaved run: nginx (1 worker), Portico plain (no plugins, metrics off) and Portico with the
# full chain (jwt-auth with a token it has cached, rate-limit that never rejects, circuit-breaker,
# metrics on).
#
#   loadtest/proxy-vs-nginx.sh [rounds=3] [seconds=10] [connections=50]
#
#   IMAGE=1       also runs plain and full chain as the container image starts them: its
#                 ENTRYPOINT's `java` options (its class-data archive, trained here as its build
#                 trains it) with deploy/Dockerfile's JAVA_TOOL_OPTIONS plus -XX:MaxRAM=512m (a
#                 stand-in for a 512 MiB pod limit), nothing else
#   WITH_STATS=1  also runs Portico with only the metrics plugin (its cost)
#   TRY_OPTS=...  also runs Portico plain through the launcher with these JVM options added to its
#                 defaults ("try"; TRY_CHAIN=1 gives it the full chain), to compare an option in one run
#   CHAIN=0       leaves out the full-chain targets
#   INSTANCES=n   Portico's event loops (`listen.instances`; default: the gateway's, one per core)
#   WARM_SECS=n   warm-up per target before the rounds (default 30; see below)
#   OUT=dir       where results.csv, percentiles.dat and latency.png go (default loadtest/out)
#   JAVA_OPTS     passed to the launcher as a user would (it replaces the launcher's JVM defaults)
#
# Every Portico starts the way users start it: "launcher" targets through gateway-dist/portico
# (its JVM defaults from gateway-dist/jvm.options), "image" targets as the image does. Each is
# fresh and warmed before the rounds; each round drives every target in turn with wrk (-t1) and
# prints req/s, p50, p99, max latency, requests per CPU-second of the proxy process
# (utime+stime from /proc/PID/stat), peak RSS (VmHWM) and the ratios to that round's nginx.
# Traffic goes to 127.0.0.1 only; every process is stopped on exit.
set -euo pipefail
rounds=${1:-3}
secs=${2:-10}
conns=${3:-50}
# Warm-up, in three wrk runs per target: under this load a fresh gateway's JIT compilers used
# 2.9-3.7 s and then 2.0-2.5 s of CPU in the first two 5-second windows, and with the cores
# saturated they get little of them. And the end of a run (64 connections closing, then an idle
# event loop) takes paths the compiled code had never seen: -XX:+PrintCompilation showed 27
# methods made not entrant there, the event loop's own runIo among them, so the next run starts
# slower until they are compiled again (30% more CPU per request in its first 10 s). A warm-up that
# has closed and reopened its connections twice has seen all of it.
warm_secs=${WARM_SECS:-30}
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/gateway-dist/target/portico.jar"
launcher="$root/gateway-dist/portico"
lua="$root/loadtest/wrk/percentiles.lua"
out="${OUT:-$root/loadtest/out}"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for i in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in nginx wrk curl python3 openssl; do
  command -v "$tool" >/dev/null || { echo "$tool is required (apt-get install $tool)"; exit 2; }
done
[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests -pl gateway-dist -am package)
# The launcher writes its class-data archive on first use after a build: here, not in a timed start.
env -u JAVA_TOOL_OPTIONS PORTICO_SKIP_BUILD=1 "$root/gateway-dist/portico" help > /dev/null
mkdir -p "$out"
clk_tck=$(getconf CLK_TCK)

# The image's JVM options, read from the Dockerfile itself so this measures what the image runs.
image_opts=$(sed -n 's/^ENV JAVA_TOOL_OPTIONS="\(.*\)"$/\1/p' "$root/deploy/Dockerfile")
[ -n "$image_opts" ] || { echo "no ENV JAVA_TOOL_OPTIONS=\"...\" line in deploy/Dockerfile"; exit 2; }
# The ENTRYPOINT's options between `java` and `-jar`, one per line, with the image's archive path
# replaced by this run's (the archive is trained below, as the image's build trains it).
image_java_opts() { # archive
  python3 - "$root/deploy/Dockerfile" "$1" <<'PY'
import json, re, sys
m = re.search(r'^ENTRYPOINT (\[.*\])$', open(sys.argv[1]).read(), re.M)
words = json.loads(m.group(1))
for w in words[1:words.index('-jar')]:
    print(w.replace('/opt/portico/portico.jsa', sys.argv[2]))
PY
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
backend=$(free_port); nginx_port=$(free_port)

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

# An RSA key, its JWKS (a static file jwt-auth reads) and one RS256 token valid for a day.
token=$(python3 "$root/loadtest/wrk/jwt-token.py" "$work")

portico_conf() { # name port admin-port plugins-block
  local instances=""; [ -n "${INSTANCES:-}" ] && instances=", instances: $INSTANCES"
  cat > "$work/$1.yaml" <<YAML
listen: { host: 127.0.0.1, port: $2$instances }
admin: { host: 127.0.0.1, port: $3 }
upstreams:
  - name: backend
    endpoints: [127.0.0.1:$backend]
routes:
  - name: all
    match: { path-prefix: / }
    upstream: backend
$4
YAML
}
plain_plugins="plugins: { metrics: false }"
chain_plugins="    plugins:
      jwt-auth: { issuer: https://id.loadtest, audiences: [users], jwks-file: $work/jwks.json }
      rate-limit: { limits: [{ capacity: 1000000000, per: 1s }] }
      circuit-breaker: { failures: 5, window: 10s, reset: 5s }"
stats_plugins=""  # metrics is on by default

declare -A port admin pid_of ready_ms token_of
targets=(nginx)
start_portico() { # target plugins-kind(plain|chain|stats) how(launcher|image)
  local name=$1 p a now
  p=$(free_port); a=$(free_port)
  case $2 in
    plain) portico_conf "$name" "$p" "$a" "$plain_plugins" ;;
    chain) portico_conf "$name" "$p" "$a" "$chain_plugins"; token_of[$name]=$token ;;
    stats) portico_conf "$name" "$p" "$a" "$stats_plugins" ;;
  esac
  now=$(date +%s%N)
  if [ "$3" = launcher ]; then
    # as a user runs it; the jar was built above, so the launcher does not look for changed sources
    env -u JAVA_TOOL_OPTIONS PORTICO_SKIP_BUILD=1 "$launcher" run --config "$work/$name.yaml" > "$work/$name.log" 2>&1 &
  elif [ "$3" = try ]; then
    local defaults; defaults=$(awk '{ sub(/#.*/, ""); for (i = 1; i <= NF; i++) printf "%s ", $i }' "$root/gateway-dist/jvm.options")
    env -u JAVA_TOOL_OPTIONS PORTICO_SKIP_BUILD=1 JAVA_OPTS="$defaults $TRY_OPTS" "$launcher" run --config "$work/$name.yaml" \
      > "$work/$name.log" 2>&1 &
  else
    env -u JAVA_OPTS JAVA_TOOL_OPTIONS="$image_opts" java "${image_java[@]}" -XX:MaxRAM=512m -jar "$jar" \
      run --config "$work/$name.yaml" > "$work/$name.log" 2>&1 &
  fi
  pids+=($!); pid_of[$name]=$!; port[$name]=$p; admin[$name]=$a
  for i in $(seq 1 1500); do
    curl -fs -o /dev/null "http://127.0.0.1:$a/readyz" 2>/dev/null && break
    kill -0 "${pid_of[$name]}" 2>/dev/null || { echo "$name exited:"; cat "$work/$name.log"; exit 1; }
    sleep 0.02
  done
  ready_ms[$name]=$(( ($(date +%s%N) - now) / 1000000 ))
  local auth=(); [ -n "${token_of[$name]:-}" ] && auth=(-H "Authorization: Bearer $token")
  curl -fs -o /dev/null "${auth[@]}" "http://127.0.0.1:$p/" \
    || { echo "$name does not proxy:"; cat "$work/$name.log"; exit 1; }
  # CPU time to readiness does not depend on how busy the machine is, wall time does
  local cpu_ms=$(( $(awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/${pid_of[$name]}/stat") * 1000 / clk_tck ))
  echo "$name ($3): ready (/readyz 200) ${ready_ms[$name]} ms after start, ${cpu_ms} ms of CPU, pid ${pid_of[$name]}"
  targets+=("$name")
}

nginx -c "$work/backend/nginx.conf" & pids+=($!)
nginx -c "$work/proxy/nginx.conf" & pids+=($!); pid_of[nginx]=$!; port[nginx]=$nginx_port
for i in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$nginx_port/" && break; sleep 0.1; done
start_portico plain plain launcher
[ "${CHAIN:-1}" = 0 ] || start_portico chain chain launcher
[ "${WITH_STATS:-}" = 1 ] && start_portico stats stats launcher
[ -n "${TRY_OPTS:-}" ] && start_portico try "$([ "${TRY_CHAIN:-}" = 1 ] && echo chain || echo plain)" try
if [ "${IMAGE:-}" = 1 ]; then
  # as deploy/Dockerfile's build does: one training run on the bundled config with the image's options
  env -u JAVA_OPTS JAVA_TOOL_OPTIONS="$image_opts" bash "$root/gateway-dist/train-cds" "$work/image.jsa" "$jar" \
    "$root/routes/gateway.yaml" -XX:MaxRAM=512m
  mapfile -t image_java < <(image_java_opts "$work/image.jsa")
  [ "${#image_java[@]}" -gt 0 ] || { echo "no ENTRYPOINT [\"java\", ..., \"-jar\", ...] in deploy/Dockerfile"; exit 2; }
  start_portico plain-img plain image
  [ "${CHAIN:-1}" = 0 ] || start_portico chain-img chain image
fi

cpu_ticks() { # pid -> utime+stime of it and its children (nginx: master + worker)
  local total=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    [ -r "/proc/$p/stat" ] && total=$(( total + $(awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$p/stat") ))
  done
  echo "$total"
}
peak_rss_kib() { # pid -> VmHWM, the largest of it and its children
  local max=0 v p
  for p in "$1" $(pgrep -P "$1" || true); do
    v=$(awk '/^VmHWM:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
    [ "${v:-0}" -gt "$max" ] && max=$v
  done
  echo "$max"
}
drive() { # target seconds -> wrk output with SUMMARY and PCT lines
  WRK_TOKEN="${token_of[$1]:-}" wrk -t1 -c"$conns" -d"${2}s" -s "$lua" "http://127.0.0.1:${port[$1]}/"
}

echo "warming up (JIT) for ${warm_secs} s each, in three runs ..."
for t in "${targets[@]}"; do
  for part in 1 2 3; do drive "$t" $(( (warm_secs + 2) / 3 )) >/dev/null; done
done
# A JVM goes on compiling for a few seconds after its load stops: round 1's first target would
# share the cores with the last warmed one's compiler. Wait (at most 30 s) until all targets
# together use under 5% of a core.
settled=""
for i in $(seq 1 30); do
  c0=0; for t in "${targets[@]}"; do c0=$(( c0 + $(cpu_ticks "${pid_of[$t]}") )); done
  sleep 1
  c1=0; for t in "${targets[@]}"; do c1=$(( c1 + $(cpu_ticks "${pid_of[$t]}") )); done
  if [ $(( (c1 - c0) * 100 / clk_tck )) -lt 5 ]; then settled=$i; break; fi
done
if [ -n "$settled" ]; then echo "targets idle after $settled s"; else echo "targets still busy after 30 s"; fi

pcts="50 75 90 95 99 99.9 99.99 100"
echo "round,target,rps,p50_ms,p99_ms,max_ms,req_per_cpu_s,peak_rss_mib,errors,non2xx,$(echo $pcts | sed 's/[^ ]*/p&/g; s/ /,/g')" > "$out/results.csv"
printf "\n%-5s %-10s %9s %8s %8s %8s %10s %8s %7s | %6s %6s %6s %6s %6s\n" round target req/s p50_ms p99_ms max_ms req/cpu-s rss_MiB errors \
  x_rps x_p50 x_p99 x_max x_cpu
for r in $(seq 1 "$rounds"); do
  for t in "${targets[@]}"; do
    pid=${pid_of[$t]}
    c0=$(cpu_ticks "$pid")
    result=$(drive "$t" "$secs")
    c1=$(cpu_ticks "$pid")
    rss=$(peak_rss_kib "$pid")
    echo "$result" | awk -v r="$r" -v t="$t" -v cpu="$(( c1 - c0 ))" -v hz="$clk_tck" -v rss="$rss" '
      /^SUMMARY/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); s[kv[1]] = kv[2] } }
      /^PCT/ { p[++n] = $3 }
      END {
        cpus = cpu / hz; per_cpu = cpus > 0 ? s["requests"] / cpus : 0
        line = sprintf("%d,%s,%.1f,%.3f,%.3f,%.3f,%.0f,%.1f,%d,%d", r, t, s["rps"], p[1], p[5], p[8], per_cpu, rss / 1024, s["errors"], s["non2xx"])
        for (i = 1; i <= n; i++) line = line "," p[i]
        print line
      }' >> "$out/results.csv"
    tail -1 "$out/results.csv" | awk -F, -v nginx="$(awk -F, -v r="$r" '$1==r && $2=="nginx"' "$out/results.csv")" '
      BEGIN { split(nginx, n, ",") }
      { printf "%-5s %-10s %9.0f %8.3f %8.3f %8.3f %10.0f %8.1f %7d | %6.2f %6.2f %6.2f %6.2f %6.2f\n", $1, $2, $3, $4, $5, $6, $7, $8, $9,
          $3 / n[3], $4 / n[4], $5 / n[5], $6 / n[6], (n[7] > 0 ? $7 / n[7] : 0) }'
  done
done

echo
echo "overall (mean over rounds; max = worst round; rss = peak; x_ = ratio to nginx; started in = /readyz 200 after start):"
awk -F, -v ready="$(for t in "${targets[@]}"; do printf "%s=%s " "$t" "${ready_ms[$t]:--}"; done)" '
  BEGIN { split(ready, rs, " "); for (i in rs) { split(rs[i], kv, "="); ready_ms[kv[1]] = kv[2] } }
  NR == 1 { next }
  { t = $2; if (!(t in n)) order[++k] = t; n[t]++; rps[t] += $3; p50[t] += $4; p99[t] += $5
    if ($6 > mx[t]) mx[t] = $6; cpu[t] += $7; if ($8 > rss[t]) rss[t] = $8; err[t] += $9 }
  END {
    printf "%-10s %9s %8s %8s %8s %10s %8s %7s | %6s %6s %6s %6s %6s | %s\n", "target", "req/s", "p50_ms", "p99_ms", "max_ms", "req/cpu-s", "rss_MiB", "errors", "x_rps", "x_p50", "x_p99", "x_max", "x_cpu", "started in"
    for (i = 1; i <= k; i++) {
      t = order[i]; c = n[t]; g = "nginx"
      printf "%-10s %9.0f %8.3f %8.3f %8.3f %10.0f %8.1f %7d | %6.2f %6.2f %6.2f %6.2f %6.2f | %s\n", t, rps[t]/c, p50[t]/c, p99[t]/c, mx[t], cpu[t]/c, rss[t], err[t],
        (rps[t]/c) / (rps[g]/n[g]), (p50[t]/c) / (p50[g]/n[g]), (p99[t]/c) / (p99[g]/n[g]), mx[t] / mx[g], (cpu[t]/c) / (cpu[g]/n[g]),
        (t == "nginx" ? "-" : ready_ms[t] " ms")
    }
  }' "$out/results.csv"

# Latency by percentile, mean over rounds, one line per target.
awk -F, -v pcts="$pcts" '
  NR == 1 { next }
  { t = $2; if (!(t in n)) order[++k] = t; n[t]++; for (i = 11; i <= NF; i++) sum[t, i] += $i }
  END {
    m = split(pcts, p, " ")
    for (j = 1; j <= k; j++) {
      t = order[j]; print "# " t
      for (i = 1; i <= m; i++) { x = p[i] < 100 ? 100 / (100 - p[i]) : 100000; printf "%s %g %.3f\n", p[i], x, sum[t, 10 + i] / n[t] }
      print ""; print ""
    }
  }' "$out/results.csv" > "$out/percentiles.dat"
if command -v gnuplot >/dev/null; then
  titles="${targets[*]}"
  gnuplot <<GP
set terminal pngcairo size 900,540 noenhanced
set output "$out/latency.png"
set title "Latency by percentile, mean of $rounds rounds of ${secs}s, $conns connections ($(date -u +%F), $(nproc) cores)"
set logscale xy
set xtics ("p50" 2, "p75" 4, "p90" 10, "p95" 20, "p99" 100, "p99.9" 1000, "p99.99" 10000, "max" 100000)
set ylabel "ms"
set key top left
set grid
titles = "$titles"
plot for [i=0:${#targets[@]}-1] "$out/percentiles.dat" index i using 2:3 with linespoints title word(titles, i+1)
GP
  echo "plot: $out/latency.png"
fi
echo "data: $out/results.csv, $out/percentiles.dat"
