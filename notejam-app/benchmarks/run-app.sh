#!/usr/bin/env bash
# Starts one app instance in the background for the load benchmarks and waits for readiness.
#   benchmarks/run-app.sh start [MODE]   (default jdk17-jar: the plain exec jar, -Xmx256m)
#   benchmarks/run-app.sh stop
# The pid goes to $WORK/app.pid, the JSON log to $WORK/logs/app.log.
source "$(dirname "$0")/lib.sh"
mkdir -p "$WORK/logs"
case "${1:-}" in
  start)
    mode="${2:-jdk17-jar}"
    start_app "$mode" "$WORK/logs/app.log"
    echo "$APP_PID" > "$WORK/app.pid"
    wait_ready "$APP_PID" 180 || { tail -20 "$WORK/logs/app.log" >&2; die "app did not become ready"; }
    log "app ($mode, $HEAP_OPTS) ready on $BASE_URL, pid $APP_PID"
    ;;
  stop)
    [ -f "$WORK/app.pid" ] && stop_app "$(cat "$WORK/app.pid")" && rm -f "$WORK/app.pid"
    log "app stopped"
    ;;
  *) echo "usage: $0 start [MODE] | stop" >&2; exit 2 ;;
esac
