# Sourced by the benchmark scripts: where things live and how to start/stop one app instance.
# Every path and port can be overridden from the environment.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
APP_DIR="$(cd "$BENCH_DIR/.." && pwd)"
REPO_DIR="$(cd "$APP_DIR/.." && pwd)"
WORK="${BENCH_WORK:-/tmp/notejam-app-bench}"      # stores' data, extracted jars, archives, logs
PG_PORT="${BENCH_PG_PORT:-25432}"
REDIS_PORT="${BENCH_REDIS_PORT:-26379}"
APP_PORT="${BENCH_APP_PORT:-8080}"
MGMT_PORT="${BENCH_MGMT_PORT:-8081}"
JDK17="${JDK17:-$(find /usr/lib/jvm -maxdepth 1 -name "java-17-*" -type d 2>/dev/null | sort | head -n 1)}"
JDK25="${JDK25:-$(find /usr/lib/jvm -maxdepth 1 -name "*-25-*" -type d 2>/dev/null | sort | head -n 1)}"
BASE_URL="http://127.0.0.1:$APP_PORT"
READINESS_URL="http://127.0.0.1:$MGMT_PORT/actuator/health/readiness"
mkdir -p "$WORK"

# Ports below the Linux ephemeral range (32768+) so a test's random port never takes them.
# The app reads only Spring's standard environment variables (DESIGN.md section 4).
# The password is a throwaway for a 127.0.0.1-only benchmark cluster, generated once per work directory.
if [ ! -f "$WORK/db-password" ]; then
  head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$WORK/db-password"
  chmod 600 "$WORK/db-password"
fi
export SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/notejam"
export SPRING_DATASOURCE_USERNAME=notejam
SPRING_DATASOURCE_PASSWORD="$(cat "$WORK/db-password")"
export SPRING_DATASOURCE_PASSWORD
export SPRING_DATA_REDIS_HOST=127.0.0.1
export SPRING_DATA_REDIS_PORT="$REDIS_PORT"
export SERVER_PORT="$APP_PORT"
# As in the image (root pom, Jib <environment>): caps glibc's malloc arenas.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
export MANAGEMENT_SERVER_PORT="$MGMT_PORT"

log() { printf '%s bench: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# "load average: 1m 5m 15m" of the shared machine, recorded next to every figure.
load_average() { cut -d' ' -f1-3 /proc/loadavg; }

exec_jar() {
  local jar
  jar="$(ls "$APP_DIR"/target/notejam-app-*-exec.jar 2>/dev/null | head -1)"
  [ -n "$jar" ] || die "no exec jar: run benchmarks/build.sh first"
  echo "$jar"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Milliseconds since the epoch.
now_ms() { date +%s%3N; }

# wait_ready PID TIMEOUT_S: polls readiness every 25 ms; prints nothing, fails if the process dies or time runs out.
wait_ready() {
  local pid=$1 timeout_ms=$(( $2 * 1000 )) start
  start=$(now_ms)
  until curl -fs -o /dev/null --max-time 1 "$READINESS_URL"; do
    kill -0 "$pid" 2>/dev/null || return 1
    [ $(( $(now_ms) - start )) -lt "$timeout_ms" ] || return 1
    sleep 0.025
  done
}

# stop_app PID: SIGTERM (graceful shutdown), then wait for the process to end.
stop_app() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  log "app $pid still running after 30 s, killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# Heap of every benchmark run: the pod-sized heap the issue asks for (containers use -XX:MaxRAMPercentage=75).
HEAP_OPTS="${BENCH_HEAP_OPTS:--Xmx256m}"

# The start-up modes measured in BENCHMARKS.md. app_command MODE sets APP_CMD (an array).
# AOTMode=on / -Xshare:on make the JVM refuse to start when the archive cannot be used, so a mode never silently
# falls back to a plain start.
MODES="jdk17-jar jdk25-jar jdk17-cds jdk25-aot-cache"
app_command() {
  local d="$WORK/default"
  # shellcheck disable=SC2206
  local heap=($HEAP_OPTS)
  case "$1" in
    jdk17-jar) APP_CMD=("$JDK17/bin/java" "${heap[@]}" -jar "$d/app.jar") ;;
    jdk25-jar) APP_CMD=("$JDK25/bin/java" "${heap[@]}" -jar "$d/app.jar") ;;
    jdk17-cds) APP_CMD=("$JDK17/bin/java" "${heap[@]}" -Xshare:on -XX:SharedArchiveFile="$d/app-jdk17.jsa"
                        -jar "$d/extracted/app.jar") ;;
    jdk25-aot-cache) APP_CMD=("$JDK25/bin/java" "${heap[@]}" -XX:AOTMode=on -XX:AOTCache="$d/app-jdk25.aot"
                              -jar "$d/extracted/app.jar") ;;
    *) die "unknown mode $1 (one of: $MODES)" ;;
  esac
}

# start_app MODE LOGFILE: starts one instance in the background and sets APP_PID.
start_app() {
  app_command "$1"
  port_free "$APP_PORT" && port_free "$MGMT_PORT" || die "port $APP_PORT or $MGMT_PORT is taken; set BENCH_APP_PORT/BENCH_MGMT_PORT"
  "${APP_CMD[@]}" >"$2" 2>&1 &
  APP_PID=$!
}

# CPU seconds (user + system, all threads) the process has used so far: unlike wall time, it hardly depends on
# how busy the shared machine is.
cpu_seconds() { awk -v tck="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / tck}' "/proc/$1/stat"; }

# Spring's own "Started NotejamApplication in X seconds" from the JSON log, for cross-checking.
spring_started_seconds() { grep -o 'Started NotejamApplication in [0-9.]* seconds' "$1" | grep -o '[0-9.]*' | head -1; }
