# Sourced by the benchmark scripts: where things live and how to start/stop one app instance.
# Every path and port can be overridden from the environment.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
APP_DIR="$(cd "$BENCH_DIR/.." && pwd)"
REPO_DIR="$(cd "$APP_DIR/.." && pwd)"
WORK="${BENCH_WORK:-/tmp/notejam-bench}"          # stores' data, extracted jars, archives, logs
PG_PORT="${BENCH_PG_PORT:-25432}"
REDIS_PORT="${BENCH_REDIS_PORT:-26379}"
APP_PORT="${BENCH_APP_PORT:-8080}"
MGMT_PORT="${BENCH_MGMT_PORT:-8081}"
JDK17="${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}"
JDK25="${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
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
