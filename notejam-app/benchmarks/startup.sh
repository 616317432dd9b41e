#!/usr/bin/env bash
# Benchmark (a): time from process start to readiness UP (GET /actuator/health/readiness answers 200, i.e.
# PostgreSQL and Redis reachable), RUNS runs per mode, modes interleaved (run 1 of every mode, then run 2, ...)
# so that the shared machine's load swings hit every mode alike; prints the medians as a Markdown table.
#   benchmarks/startup.sh [RUNS] [MODE...]   (default 5 runs; modes jdk25-jar jdk25-extracted jdk17-cds jdk25-aot-cache)
# Needs: build.sh, train.sh, stores.sh start (the schema is migrated by the training runs, so no run migrates).
# Each instance is stopped with SIGTERM before the next starts.
source "$(dirname "$0")/lib.sh"
runs="${1:-5}"; shift || true
modes=("$@"); [ ${#modes[@]} -gt 0 ] || modes=(jdk25-jar jdk25-extracted jdk17-cds jdk25-aot-cache)
mkdir -p "$WORK/logs"
declare -A times springs cpus
load_before="$(load_average)"; counters_before="$(cpu_counters)"
for i in $(seq 1 "$runs"); do
  for mode in "${modes[@]}"; do
    logfile="$WORK/logs/startup-$mode-$i.log"
    started=$(now_ms)
    start_app "$mode" "$logfile"
    if ! wait_ready "$APP_PID" 300; then
      stop_app "$APP_PID"; tail -20 "$logfile" >&2; die "$mode run $i never became ready"
    fi
    elapsed=$(( $(now_ms) - started ))
    cpu=$(cpu_seconds "$APP_PID")
    stop_app "$APP_PID"
    spring=$(spring_started_seconds "$logfile")
    times[$mode]+="$elapsed "; cpus[$mode]+="$cpu "; springs[$mode]+="$spring "
    log "$mode run $i: $elapsed ms, CPU $cpu s (Spring: $spring s, load $(load_average))"
  done
done
echo "Load average before: $load_before, after: $(load_average); CPU steal during the runs: $(steal_percent "$counters_before") %"
printf '| mode | median start -> readiness UP (ms) | runs (ms) | CPU s until ready (median) | Spring "Started in" median (s) |\n|---|---|---|---|---|\n'
for mode in "${modes[@]}"; do
  # shellcheck disable=SC2086
  printf '| %s | %s | %s | %s | %s |\n' "$mode" "$(printf '%s\n' ${times[$mode]} | median)" "${times[$mode]% }" \
    "$(printf '%s\n' ${cpus[$mode]} | median)" "$(printf '%s\n' ${springs[$mode]} | median)"
done
