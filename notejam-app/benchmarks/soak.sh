#!/usr/bin/env bash
# Benchmark (c): resident memory (RSS) of one instance with -Xmx256m after 10 minutes of mixed load
# (mixed.lua: reads, note creates and edits, anonymous visitors), sampled every 10 s; plus errors.
#   benchmarks/soak.sh [DURATION_S] [MODE]        (default 600 s, jdk25-jar: the image's JRE)
# Starts its own instance and user (10,000 notes). Needs: build.sh, stores.sh start.
source "$(dirname "$0")/lib.sh"
duration="${1:-600}"; mode="${2:-jdk25-jar}"
"$BENCH_DIR/run-app.sh" start "$mode"
pid="$(cat "$WORK/app.pid")"
trap '"$BENCH_DIR/run-app.sh" stop' EXIT
"$BENCH_DIR/seed-user.sh" 10000
# shellcheck disable=SC1091
source "$WORK/ids.env"
BENCH_COOKIE="$(cat "$WORK/cookie")" BENCH_CSRF="$(cat "$WORK/csrf")" BENCH_XSRF="$(cat "$WORK/xsrf")"
export BENCH_COOKIE BENCH_CSRF BENCH_XSRF NOTE_MIN NOTE_MAX PAD_IDS

samples="$WORK/soak-rss.csv"
echo "seconds,rss_mib,load1" > "$samples"
rss_mib() { echo $(( $(ps -o rss= -p "$pid") / 1024 )); }
log "soak: $duration s of mixed load, 20 connections, RSS at start $(rss_mib) MiB, load $(load_average)"
wrk -t2 -c20 -d"${duration}s" --timeout 10s -s "$BENCH_DIR/mixed.lua" "$BASE_URL/" > "$WORK/soak-wrk.txt" &
wrk_pid=$!
start=$(date +%s); counters="$(cpu_counters)"
while kill -0 "$wrk_pid" 2>/dev/null; do
  kill -0 "$pid" 2>/dev/null || die "the app died during the soak (see $WORK/logs/app.log)"
  echo "$(( $(date +%s) - start )),$(rss_mib),$(cut -d' ' -f1 /proc/loadavg)" >> "$samples"
  [ $(( ($(date +%s) - start) % 60 )) -lt 10 ] && log "soak: $(( $(date +%s) - start )) s, RSS $(rss_mib) MiB, load $(load_average)"
  sleep 10
done
wait "$wrk_pid"
final=$(rss_mib)
peak=$(tail -n +2 "$samples" | cut -d, -f2 | sort -n | tail -1)
app_command "$mode"; jcmd="$(dirname "${APP_CMD[0]}")/jcmd"
heap=$("$jcmd" "$pid" GC.heap_info 2>/dev/null | head -3 | tr -s ' ' | tr '\n' ' ' || true)
# With -XX:NativeMemoryTracking=summary in BENCH_HEAP_OPTS: where the memory beyond the heap goes.
"$jcmd" "$pid" VM.native_memory summary scale=MB > "$WORK/soak-nmt.txt" 2>&1 || true
app_errors=$(grep -c '"level":"ERROR"' "$WORK/logs/app.log" || true)
curl -fs "$READINESS_URL" >/dev/null && ready=UP || ready=DOWN
cat "$WORK/soak-wrk.txt"
echo "RSS after ${duration}s: $final MiB (peak $peak MiB); ERROR log lines: $app_errors; readiness after: $ready; load $(load_average); CPU steal $(steal_percent "$counters") %"
echo "heap: $heap"
