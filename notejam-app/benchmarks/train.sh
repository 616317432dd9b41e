#!/usr/bin/env bash
# Training runs that create the fast-start archives (needs benchmarks/build.sh and benchmarks/stores.sh start):
#   JDK 17 dynamic CDS archive  $WORK/$BUILD/app-jdk17.jsa   (-XX:ArchiveClassesAtExit)
#   JDK 25 AOT cache            $WORK/$BUILD/app-jdk25.aot   (-XX:AOTCacheOutput, JEP 483/514/515)
# Each run starts the app against the real stores and exits once the context is refreshed
# (-Dspring.context.exit=onRefresh), which loads every class start-up needs. Both run with Spring AOT, as the
# fast-start modes do.
#   benchmarks/train.sh [MODE...]   (default both: jdk17-cds jdk25-aot-cache; one mode saves minutes on a busy machine)
source "$(dirname "$0")/lib.sh"
modes=("$@"); [ ${#modes[@]} -gt 0 ] || modes=(jdk17-cds jdk25-aot-cache)
# shellcheck disable=SC2206
heap=($HEAP_OPTS)
mkdir -p "$WORK/logs"
train() { # train NAME command...
  local name=$1; shift
  log "training $name"
  local started; started=$(now_ms)
  "$@" >"$WORK/logs/train-$name.log" 2>&1 \
    || { tail -20 "$WORK/logs/train-$name.log"; die "training $name failed"; }
  log "trained $name in $(( $(now_ms) - started )) ms"
}
d="$WORK/$BUILD"
exit_on_refresh=-Dspring.context.exit=onRefresh
for mode in "${modes[@]}"; do
  case "$mode" in
    jdk17-cds) rm -f "$d/app-jdk17.jsa"
      train jdk17-cds "$JDK17/bin/java" "${heap[@]}" -XX:ArchiveClassesAtExit="$d/app-jdk17.jsa" "$exit_on_refresh" "$SPRING_AOT" \
        -jar "$d/extracted/app.jar" ;;
    jdk25-aot-cache) rm -f "$d/app-jdk25.aot"
      train jdk25-aot-cache "$JDK25/bin/java" "${heap[@]}" -XX:AOTCacheOutput="$d/app-jdk25.aot" "$exit_on_refresh" "$SPRING_AOT" \
        -jar "$d/extracted/app.jar" ;;
    *) die "no archive for mode $mode (jdk17-cds or jdk25-aot-cache)" ;;
  esac
done
ls -la "$d"/app-jdk17.jsa "$d"/app-jdk25.aot >&2 || true
