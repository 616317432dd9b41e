#!/usr/bin/env bash
# Benchmark (a): time from process start to readiness UP (GET /actuator/health/readiness answers 200, i.e.
# PostgreSQL and Redis reachable), one warm-up run then RUNS measured runs per mode; prints the median.
#   benchmarks/startup.sh [RUNS] [MODE...]      (default 5 runs, every mode in lib.sh's MODES)
# Needs: build.sh, train.sh, stores.sh start. Each instance is stopped with SIGTERM before the next starts.
source "$(dirname "$0")/lib.sh"
runs="${1:-5}"; shift || true
modes=("$@"); [ ${#modes[@]} -gt 0 ] || read -r -a modes <<<"$MODES"
mkdir -p "$WORK/logs"
printf '| mode | median start -> readiness UP (ms) | runs (ms) | CPU s until ready (median) | Spring "Started in" median (s) | load average before/after |\n|---|---|---|---|---|---|\n'
for mode in "${modes[@]}"; do
  times=(); springs=(); cpus=(); load_before="$(load_average)"
  for i in $(seq 0 "$runs"); do
    logfile="$WORK/logs/startup-$mode-$i.log"
    started=$(now_ms)
    start_app "$mode" "$logfile"
    if ! wait_ready "$APP_PID" 120; then
      stop_app "$APP_PID"; tail -20 "$logfile" >&2; die "$mode run $i never became ready"
    fi
    elapsed=$(( $(now_ms) - started ))
    cpu=$(cpu_seconds "$APP_PID")
    stop_app "$APP_PID"
    if [ "$i" -eq 0 ]; then log "$mode warm-up: $elapsed ms"; continue; fi
    times+=("$elapsed"); cpus+=("$cpu"); springs+=("$(spring_started_seconds "$logfile")")
    log "$mode run $i: $elapsed ms, CPU $cpu s (Spring: ${springs[-1]} s, load $(load_average))"
  done
  med=$(printf '%s\n' "${times[@]}" | median)
  spring_med=$(printf '%s\n' "${springs[@]}" | median)
  cpu_med=$(printf '%s\n' "${cpus[@]}" | median)
  printf '| %s | %s | %s | %s | %s | %s / %s |\n' "$mode" "$med" "${times[*]}" "$cpu_med" "$spring_med" "$load_before" "$(load_average)"
done
