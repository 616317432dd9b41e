#!/usr/bin/env bash
# Benchmark (a): time from process start to readiness UP (GET /actuator/health/readiness answers 200, i.e.
# PostgreSQL and Redis reachable), RUNS runs per mode, modes interleaved (run 1 of every mode, then run 2, ...)
# so that the shared machine's load swings hit every mode alike; prints the medians as a Markdown table.
#   benchmarks/startup.sh [RUNS] [MODE...]   (default 5 runs; modes jdk25-jar jdk25-extracted jdk17-cds jdk25-aot-cache)
# BENCH_BUILDS="baseline default" interleaves several builds too (build.sh / build-baseline.sh, each trained), and
# adds each row's ratio to the first build's median in the same mode: the app against the empty app, same run.
# Needs: build.sh, train.sh, stores.sh start (the schema is migrated by the training runs, so no run migrates).
# Each instance is stopped with SIGTERM before the next starts.
source "$(dirname "$0")/lib.sh"
runs="${1:-5}"; shift || true
modes=("$@"); [ ${#modes[@]} -gt 0 ] || modes=(jdk25-jar jdk25-extracted jdk17-cds jdk25-aot-cache)
mkdir -p "$WORK/logs"
# shellcheck disable=SC2206
builds=(${BENCH_BUILDS:-$BUILD})
declare -A times springs cpus
load_before="$(load_average)"; counters_before="$(cpu_counters)"
for i in $(seq 1 "$runs"); do
  for mode in "${modes[@]}"; do
    for BUILD in "${builds[@]}"; do
      key="$BUILD $mode"
      logfile="$WORK/logs/startup-$BUILD-$mode-$i.log"
      started=$(now_ms)
      start_app "$mode" "$logfile"
      if ! wait_ready "$APP_PID" 300; then
        stop_app "$APP_PID"; tail -20 "$logfile" >&2; die "$key run $i never became ready"
      fi
      elapsed=$(( $(now_ms) - started ))
      cpu=$(cpu_seconds "$APP_PID")
      stop_app "$APP_PID"
      spring=$(spring_started_seconds "$logfile")
      times[$key]+="$elapsed "; cpus[$key]+="$cpu "; springs[$key]+="$spring "
      log "$key run $i: $elapsed ms, CPU $cpu s (Spring: $spring s, load $(load_average))"
    done
  done
done
echo "Load average before: $load_before, after: $(load_average); CPU steal during the runs: $(steal_percent "$counters_before") %"
printf '| build | mode | median start -> readiness UP (ms) | ratio to %s | runs (ms) | CPU s until ready (median) | Spring "Started in" median (s) |\n|---|---|---|---|---|---|---|\n' "${builds[0]}"
for mode in "${modes[@]}"; do
  # shellcheck disable=SC2086
  reference=$(printf '%s\n' ${times[${builds[0]} $mode]} | median)
  for BUILD in "${builds[@]}"; do
    key="$BUILD $mode"
    # shellcheck disable=SC2086
    median_ms=$(printf '%s\n' ${times[$key]} | median)
    # shellcheck disable=SC2086
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$BUILD" "$mode" "$median_ms" "$(awk -v a="$median_ms" -v b="$reference" 'BEGIN {printf "%.2f", a / b}')" \
      "${times[$key]% }" "$(printf '%s\n' ${cpus[$key]} | median)" "$(printf '%s\n' ${springs[$key]} | median)"
  done
done
