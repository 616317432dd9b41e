#!/usr/bin/env bash
# Start-up profile of one start (issue 20 item 3): Spring's own step recording (BufferingApplicationStartup, on
# when NOTEJAM_STARTUP_STEPS is set), read from /actuator/startup once the app is ready. Prints the time of each
# kind of step and the 20 slowest bean creations (a bean's time includes the beans it creates in turn).
#   benchmarks/startup-steps.sh [MODE]      (default jdk25-extracted; modes as in startup.sh)
# BENCH_BUILD=baseline profiles the empty app (build-baseline.sh), which records its steps the same way.
# Needs: build.sh, stores.sh start, jq.
source "$(dirname "$0")/lib.sh"
mode="${1:-jdk25-extracted}"
command -v jq >/dev/null || die "jq missing: apt-get install jq"
mkdir -p "$WORK/logs"
logfile="$WORK/logs/startup-steps-$mode.log"
steps="$WORK/startup-steps-$mode.json"
export NOTEJAM_STARTUP_STEPS=100000
start_app "$mode" "$logfile"
if ! wait_ready "$APP_PID" 300; then
  stop_app "$APP_PID"; tail -20 "$logfile" >&2; die "$mode never became ready"
fi
curl -fs "http://127.0.0.1:$MGMT_PORT/actuator/startup" >"$steps" || { stop_app "$APP_PID"; die "no /actuator/startup"; }
stop_app "$APP_PID"
log "$(jq '.timeline.events | length' "$steps") steps recorded in $steps (load average $(load_average))"
# Durations are ISO-8601 (PT0.123S, PT1M2.5S), or seconds if the JSON mapper writes them as numbers.
seconds='def seconds: if type == "number" then . else capture("PT((?<m>[0-9]+)M)?(?<s>[0-9.]+)S") | ((.m // "0" | tonumber) * 60 + (.s | tonumber)) end;'
printf '| step | count | total s (nested steps counted in their parents too) |\n|---|---|---|\n'
jq -r "$seconds"' .timeline.events | group_by(.startupStep.name)
  | map({name: .[0].startupStep.name, count: length, total: (map(.duration | seconds) | add)})
  | sort_by(-.total) | .[] | "| \(.name) | \(.count) | \(.total * 1000 | round / 1000) |"' "$steps"
printf '\n| bean | s |\n|---|---|\n'
jq -r "$seconds"' [.timeline.events[] | select(.startupStep.name == "spring.beans.instantiate")
  | {bean: (.startupStep.tags[] | select(.key == "beanName") | .value), s: (.duration | seconds)}]
  | sort_by(-.s) | .[:20][] | "| \(.bean) | \(.s * 1000 | round / 1000) |"' "$steps"
# Self time: a step's duration without the steps nested in it, so the rows add up to the whole start. Beans are
# one row here; the per-bean self times are in $WORK/startup-steps-$BUILD-$mode-beans.tsv (name, ms), for comparing two
# builds' beans with join(1).
# shellcheck disable=SC2016 # jq's variables, not the shell's
self='.timeline.events as $e
  | ($e | group_by(.startupStep.parentId) | map({key: (.[0].startupStep.parentId | tostring), value: (map(.duration | seconds) | add)}) | from_entries) as $nested
  | [$e[] | {name: .startupStep.name, bean: ((.startupStep.tags // []) | map(select(.key == "beanName")) | .[0].value),
             self: ((.duration | seconds) - ($nested[(.startupStep.id | tostring)] // 0))}]'
printf '\n| step (self) | count | self ms |\n|---|---|---|\n'
jq -r "$seconds $self"' | group_by(.name) | map({name: .[0].name, count: length, self: (map(.self) | add)})
  | sort_by(-.self) | .[] | "| \(.name) | \(.count) | \(.self * 1000 | round) |"' "$steps"
jq -r "$seconds $self"' | .[] | select(.bean != null) | "\(.bean)\t\(.self * 1000 | round)"' "$steps" | sort > "$WORK/startup-steps-$BUILD-$mode-beans.tsv"
