#!/usr/bin/env bash
# Local multi-instance harness: Debian PostgreSQL + Redis, N Notejam instances (java, extracted jar as in the image)
# and HAProxy with health
# checks on /actuator/health/readiness, all on 127.0.0.1; runs a Gatling profile through HAProxy and stops everything
# it started. Experiments:
#   calibrate  1 instance, baseline load: CPU per request, p95, start-to-ready (for the capacity model)
#   capacity   the burst4x profile against 1, 2 and 3 instances
#   failover   3 instances under baseline load, one killed with SIGKILL: errors, lost sessions, lost writes
#   rollout    3 instances under baseline load, each replaced in turn (drain, SIGTERM, start, ready, enable)
#   all        the four above, then writes docs/scaling/measurements.json
#   prepare    only the build steps (tools, test classes, extracted jar), so that a measurement run under
#              `flock /tmp/bench.lock` can skip them with SKIP_PREPARE=1
# APP_JAR=<exec jar> measures that jar (e.g. one built from a commit by notejam-app/benchmarks/build.sh) instead of
# notejam-app/target's, which a teammate's build may be rewriting.
# Results: load-tests/target/harness/<experiment>/ (raw) and docs/scaling/experiments/<experiment>.md (summary).
set -euo pipefail

EXPERIMENT="${1:-all}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=load-tests/harness/app-instances.sh
. "$ROOT/load-tests/harness/app-instances.sh"
WORK="$ROOT/load-tests/target/harness"
DOCS="$ROOT/docs/scaling"
# unusual ports, checked free before use: a teammate's server on a common port must never receive our traffic
PG_PORT=45432
REDIS_PORT=46379
LB_PORT=48000
BASE_HTTP=48080   # instance i listens on BASE_HTTP+i, management on BASE_MGMT+i
BASE_MGMT=48180
JAVA_OPTS_APP="${JAVA_OPTS_APP:--Xmx384m -XX:+UseSerialGC}"
MVN=("$ROOT/mvnw" -B -ntp -q)
declare -A APP_PID=()

log() { printf '[harness %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

install_tools() {
  # shellcheck source=/dev/null
  source "$ROOT/ci/scripts/lib/apt.sh"
  apt_install postgresql redis-server haproxy socat
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1; }

require_free_port() {
  if ss -ltnH "sport = :$1" | grep -q .; then
    log "port $1 is already in use by another process: refusing to start (nothing of ours may share it)"; exit 1
  fi
}

start_stores() {
  local bin; bin="$(pg_bin)"
  for port in $PG_PORT $REDIS_PORT $LB_PORT $((BASE_HTTP + 1)) $((BASE_HTTP + 2)) $((BASE_HTTP + 3)) \
              $((BASE_MGMT + 1)) $((BASE_MGMT + 2)) $((BASE_MGMT + 3)); do
    require_free_port "$port"
  done
  rm -rf "$WORK/pg" && mkdir -p "$WORK/pg" && chown postgres:postgres "$WORK/pg"
  runuser -u postgres -- "$bin/initdb" -D "$WORK/pg" -A trust -U postgres --locale=C.UTF-8 -E UTF8 >/dev/null
  runuser -u postgres -- "$bin/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$WORK/pg -c max_connections=200" start >/dev/null \
    || { log "PostgreSQL did not start: $(tail -3 "$WORK/pg/server.log")"; exit 1; }
  psql -h 127.0.0.1 -p $PG_PORT -U postgres -qc "create database notejam" >/dev/null
  redis-server --port $REDIS_PORT --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log" || { log "Redis did not start"; exit 1; }
  log "PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT"
}

stop_stores() {
  [ -f "$WORK/redis.pid" ] && kill "$(cat "$WORK/redis.pid")" 2>/dev/null || true
  [ -d "$WORK/pg" ] && runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true
}

# start_instance i: starts instance i, records its pid; does not wait. Every simulated user comes from 127.0.0.1, so
# the per-address sign-up and sign-in limits (issue 20) are lifted; in prod they count real addresses.
start_instance() {
  local i=$1
  SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/notejam" SPRING_DATASOURCE_USERNAME=postgres \
  SPRING_DATASOURCE_PASSWORD="" SPRING_DATA_REDIS_HOST=127.0.0.1 SPRING_DATA_REDIS_PORT=$REDIS_PORT \
  SERVER_PORT=$((BASE_HTTP + i)) SERVER_ADDRESS=127.0.0.1 MANAGEMENT_SERVER_PORT=$((BASE_MGMT + i)) \
  MANAGEMENT_SERVER_ADDRESS=127.0.0.1 NOTEJAM_BASE_URL="http://127.0.0.1:$LB_PORT" \
  SPRING_DATA_REDIS_CONNECTTIMEOUT=10s SPRING_DATA_REDIS_TIMEOUT=10s MALLOC_ARENA_MAX=2 \
  NOTEJAM_LIMITS_SIGNUPSPERADDRESS=100000 NOTEJAM_LIMITS_SIGNINFAILURESPERADDRESS=100000 \
    java $JAVA_OPTS_APP -jar "$WORK/app/notejam-app-exec.jar" >>"$WORK/app$i.log" 2>&1 &
  APP_PID[$i]=$!
  date +%s.%N >"$WORK/app$i.started"
}

# wait_ready i: polls readiness (bounded 180 s); appends start-to-ready seconds to start-to-ready.txt
wait_ready() {
  local i=$1 deadline=$((SECONDS + 420))
  until curl -fs -o /dev/null "http://127.0.0.1:$((BASE_MGMT + i))/actuator/health/readiness"; do
    kill -0 "${APP_PID[$i]}" 2>/dev/null || { log "instance $i died: see $WORK/app$i.log"; tail -20 "$WORK/app$i.log"; return 1; }
    [ $SECONDS -lt $deadline ] || { log "instance $i not ready after 420 s"; return 1; }
    sleep 0.2
  done
  python3 -c "import time,sys; print(f'{time.time()-float(open(sys.argv[1]).read()):.2f}')" "$WORK/app$i.started" \
    >>"$WORK/start-to-ready.txt"
  # CPU the JVM burnt until ready: unlike wall time, it does not depend on how busy the shared cores are
  echo "scale=2; $(cpu_ticks "${APP_PID[$i]}") / $(getconf CLK_TCK)" | bc >>"$WORK/start-cpu-seconds.txt"
  log "instance $i ready in $(tail -1 "$WORK/start-to-ready.txt") s, $(tail -1 "$WORK/start-cpu-seconds.txt") CPU-s (pid ${APP_PID[$i]})"
}

start_haproxy() {
  local n=$1
  {
    cat <<CFG
global
  stats socket $WORK/haproxy.sock mode 600 level admin
  maxconn 2000
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 30s
  option redispatch
  retries 2
  # only connection failures are retried: the request never reached the instance, so a retry is safe
  retry-on conn-failure
frontend notejam
  bind 127.0.0.1:$LB_PORT
  default_backend app
backend app
  balance roundrobin
  option httpchk GET /actuator/health/readiness
  http-check expect status 200
  default-server inter 1s fall 2 rise 2
CFG
    for i in $(seq 1 "$n"); do
      echo "  server app$i 127.0.0.1:$((BASE_HTTP + i)) check port $((BASE_MGMT + i))"
    done
  } >"$WORK/haproxy.cfg"
  haproxy -f "$WORK/haproxy.cfg" -D -p "$WORK/haproxy.pid"
  log "HAProxy on 127.0.0.1:$LB_PORT over $n instance(s)"
}

stop_haproxy() { [ -f "$WORK/haproxy.pid" ] && kill "$(cat "$WORK/haproxy.pid")" 2>/dev/null || true; rm -f "$WORK/haproxy.pid"; }

haproxy_cmd() { echo "$*" | socat stdio "unix-connect:$WORK/haproxy.sock"; }

# sample_haproxy <csv> <seconds>: once a second, each server's totals from the runtime API (bounded)
sample_haproxy() {
  local csv=$1 seconds=$2
  echo "epoch,server,requests,http_5xx,connect_errors,response_errors,status" >"$csv"
  for _ in $(seq 1 "$seconds"); do
    [ -S "$WORK/haproxy.sock" ] || break
    haproxy_cmd "show stat" 2>/dev/null | awk -F, -v now="$(date +%s)" '
      NR == 1 { for (i = 1; i <= NF; i++) { h = $i; sub(/^# /, "", h); col[h] = i }; next }
      $1 == "app" && $2 != "BACKEND" { print now "," $2 "," $col["stot"] "," $col["hrsp_5xx"] "," $col["econ"] "," $col["eresp"] "," $col["status"] }
    ' >>"$csv" || true
    sleep 1
  done
}

cleanup() {
  set +e
  stop_haproxy
  stop_instances
  stop_stores
}
trap cleanup EXIT

cpu_ticks() { local t=0; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
# CPU busy on the machine, without the "nice" column: work at a positive nice (teammates' builds under the CPU
# etiquette) yields to a measurement run at nice -20, so it does not compete with the instance being measured.
machine_busy() { awk '/^cpu /{print $2+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat; }
machine_steal() { awk '/^cpu /{print $9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; }
steal_since() { # steal_since "<steal> <total>" -> percent since then
  local s0 t0 s1 t1; read -r s0 t0 <<<"$1"; read -r s1 t1 <<<"$(machine_steal)"; echo $(( 100 * (s1 - s0) / (t1 - t0 + 1) ))
}

# run_gatling <dir> <profile> [extra -D...]: Gatling through HAProxy; output in <dir>/gatling.out
run_gatling() {
  local dir=$1 profile=$2; shift 2
  mkdir -p "$dir"
  log "Gatling profile $profile -> $dir (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  sample_haproxy "$dir/haproxy.csv" 900 &
  local sampler=$!
  local steal0; steal0=$(machine_steal)
  set +e
  "${MVN[@]}" -f "$ROOT/load-tests/pom.xml" gatling:test -P"$profile" -Dnotejam.baseUrl="http://127.0.0.1:$LB_PORT" \
    -Dloadtest.outputDir="$dir" -Dgatling.resultsFolder="$dir/gatling" -Dloadtest.poolSize="${POOL_SIZE:-12}" "$@" >"$dir/gatling.out" 2>&1
  local status=$?
  set -e
  kill "$sampler" 2>/dev/null || true
  echo "$status" >"$dir/gatling.status"
  # CPU steal: the share of time the shared VM's hypervisor gave our cores to other guests during the run.
  echo "$(cut -d' ' -f1-3 /proc/loadavg) (CPU steal $(steal_since "$steal0") %)" >"$dir/loadavg-end.txt"
  log "Gatling exit $status; $(grep -E 'request count|95th percentile|mean throughput' "$dir/gatling.out" | tr -s ' ' | tail -3 | tr '\n' ';')"
}

# gatling_figure <dir> <label> <column 2|3|4>: a figure from Gatling's Global Information block
gatling_figure() {
  awk -F'|' -v label="$2" -v col="$3" 'index($1, label) && !done {gsub(/[ ,]/, "", $col); print $col; done=1}' \
    <(sed -n '/Global Information/,/Response Time Distribution/p' "$1/gatling.out")
}

verify_writes() {
  local dir=$1
  psql -h 127.0.0.1 -p $PG_PORT -U postgres -d notejam -qAt <<SQL >"$dir/writes-check.txt"
create temp table ack(id bigint, name text, deleted boolean);
\copy ack from '$dir/acknowledged-writes.csv' csv
select 'acknowledged_notes', count(*) from ack;
select 'missing_in_db', count(*) from ack a left join notes n on n.id = a.id where not a.deleted and n.id is null;
select 'stale_name_in_db', count(*) from ack a join notes n on n.id = a.id where not a.deleted and n.name <> a.name;
select 'deleted_but_present', count(*) from ack a join notes n on n.id = a.id where a.deleted;
SQL
  cat "$dir/writes-check.txt" | tr '|' ' '
}

prepare() {
  install_tools
  mkdir -p "$WORK" "$DOCS/experiments"
  # the Gatling module resolves notejam-app (and the parent pom) from the local repository
  "${MVN[@]}" -f "$ROOT/pom.xml" -N install
  if [ "${REBUILD:-0}" = 1 ] || ! ls "$ROOT"/notejam-app/target/notejam-app-*-exec.jar >/dev/null 2>&1 \
     || ! ls ~/.m2/repository/dev/notejam/notejam-app/1.0.0-SNAPSHOT/*.jar >/dev/null 2>&1; then
    log "building notejam-app (exec jar) and installing it for the Gatling module"
    "${MVN[@]}" -f "$ROOT/pom.xml" -pl notejam-app install -DskipTests
  fi
  # a copy, so a rebuild during the run cannot pull the jar away under running instances
  if [ -n "${APP_JAR:-}" ]; then cp "$APP_JAR" "$WORK/notejam-app-exec.jar"
  else cp "$ROOT"/notejam-app/target/notejam-app-*-exec.jar "$WORK/notejam-app-exec.jar"; fi
  # Plain jars on the class path, as the Jib image runs the app (the nested-jar loader of `java -jar exec.jar`
  # costs start-up time and CPU per class-path lookup).
  rm -rf "$WORK/app" && java -Djarmode=tools -jar "$WORK/notejam-app-exec.jar" extract --destination "$WORK/app" >/dev/null
  "${MVN[@]}" -f "$ROOT/load-tests/pom.xml" test-compile
}

# up <n>: stores, n instances (ready), HAProxy
up() {
  local n=$1
  cleanup; rm -f "$WORK"/app*.log
  start_stores
  # one after the other: parallel JVM starts on 2 busy cores time out their first Redis connection
  for i in $(seq 1 "$n"); do start_instance "$i"; wait_ready "$i" || exit 1; done
  start_haproxy "$n"
  sleep 2
}

calibrate() {
  local dir="$WORK/calibrate"
  up 1
  local before_app before_machine; before_app=$(cpu_ticks "${APP_PID[1]}"); before_machine=$(machine_busy)
  # idle CPU of one instance over 10 s
  local idle0; idle0=$(cpu_ticks "${APP_PID[1]}"); sleep 10; local idle1; idle1=$(cpu_ticks "${APP_PID[1]}")
  before_app=$(cpu_ticks "${APP_PID[1]}"); before_machine=$(machine_busy)
  local load_before; load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  run_gatling "$dir" baseline -Dloadtest.baselineSeconds=90 -Dloadtest.enforceSlo=false \
    -Dloadtest.baselineUsersPerSec="${CALIBRATE_BASELINE:-2}"
  local after_app after_machine; after_app=$(cpu_ticks "${APP_PID[1]}"); after_machine=$(machine_busy)
  local requests p95 hz; requests=$(gatling_figure "$dir" "request count" 2); p95=$(gatling_figure "$dir" "95th percentile" 2)
  hz=$(getconf CLK_TCK)
  python3 - "$dir" "$before_app" "$after_app" "$idle0" "$idle1" "$hz" "$requests" "$p95" $before_machine $after_machine "$load_before" <<'PY'
import json, sys
d, a0, a1, i0, i1, hz, req, p95, mb0, mt0, mb1, mt1, load_before = sys.argv[1:]
cpu = (int(a1) - int(a0)) / int(hz)
out = {"appCpuSeconds": cpu, "requests": int(req), "cpuSecondsPerRequest": cpu / int(req),
       "idleCpuCores": (int(i1) - int(i0)) / int(hz) / 10.0, "p95Ms": float(p95),
       "machineCpuUtilization": (float(mb1) - float(mb0)) / (float(mt1) - float(mt0)), "loadAverageBefore": load_before}
json.dump(out, open(d + "/calibration.json", "w"), indent=2)
print(out)
PY
  cleanup
}

capacity() {
  for n in 1 2 3; do
    local dir="$WORK/capacity-$n"
    up "$n"
    local m0; m0=$(machine_busy)
    run_gatling "$dir" burst4x -Dloadtest.enforceSlo=false -Dloadtest.burst.warmupSeconds=20 \
      -Dloadtest.burst.rampSeconds=60 -Dloadtest.burst.holdSeconds=60 -Dloadtest.burst.rampDownSeconds=20 \
      -Dloadtest.burst.cooldownSeconds=10 -Dloadtest.baselineUsersPerSec="${CAPACITY_BASELINE:-2}"
    local m1; m1=$(machine_busy)
    python3 -c "import sys; b0,t0,b1,t1=map(float,sys.argv[1:]); print(f'{(b1-b0)/(t1-t0):.3f}')" $m0 $m1 >"$dir/machine-cpu.txt"
    cleanup
  done
}

failover() {
  local dir="$WORK/failover"
  up 3
  mkdir -p "$dir"
  run_gatling "$dir" baseline -Dloadtest.enforceSlo=false -Dloadtest.baselineSeconds=100 \
    -Dloadtest.baselineUsersPerSec="${FAILOVER_BASELINE:-1}" &
  local gatling=$!
  # kill instance 2 well inside the steady part (Gatling start and pool seeding take ~30-60 s)
  local waited=0
  until grep -q 'Simulation .* started' "$dir/gatling.out" 2>/dev/null || [ $waited -ge 240 ]; do sleep 1; waited=$((waited + 1)); done
  sleep 45
  log "SIGKILL instance 2 (pid ${APP_PID[2]})"
  date +%s >"$dir/killed-at.txt"
  kill -9 "${APP_PID[2]}"
  unset 'APP_PID[2]'
  wait "$gatling" || true
  verify_writes "$dir"
  cleanup
}

rollout() {
  local dir="$WORK/rollout"
  up 3
  mkdir -p "$dir"
  : >"$dir/rollout.log"
  # SLO not asserted here: the claim under test is zero failed requests, counted from Gatling's KO figure
  run_gatling "$dir" baseline -Dloadtest.enforceSlo=false -Dloadtest.baselineSeconds=240 \
    -Dloadtest.baselineUsersPerSec="${ROLLOUT_BASELINE:-1}" &
  local gatling=$!
  local waited=0
  until grep -q 'Simulation .* started' "$dir/gatling.out" 2>/dev/null || [ $waited -ge 240 ]; do sleep 1; waited=$((waited + 1)); done
  sleep 20
  for i in 1 2 3; do
    log "replacing instance $i: drain in HAProxy" | tee -a "$dir/rollout.log"
    haproxy_cmd "set server app/app$i state drain" >/dev/null
    # wait until HAProxy has no request in flight on it (bounded 30 s)
    for _ in $(seq 1 60); do
      cur=$(haproxy_cmd "show stat" | awk -F, -v s="app$i" '$1=="app" && $2==s {print $5}')
      [ "${cur:-0}" = 0 ] && break; sleep 0.5
    done
    haproxy_cmd "set server app/app$i state maint" >/dev/null
    log "instance $i: SIGTERM (graceful drain), then a new process" | tee -a "$dir/rollout.log"
    kill -TERM "${APP_PID[$i]}"
    for _ in $(seq 1 60); do kill -0 "${APP_PID[$i]}" 2>/dev/null || break; sleep 0.5; done
    start_instance "$i"
    wait_ready "$i" 2>&1 | tee -a "$dir/rollout.log"
    haproxy_cmd "set server app/app$i state ready" >/dev/null
    log "instance $i back in the balancer" | tee -a "$dir/rollout.log"
    sleep 10
  done
  wait "$gatling" || true
  verify_writes "$dir"
  cleanup
}

summarise() {
  python3 "$ROOT/load-tests/harness/summarise.py" "$WORK" "$DOCS"
  for csv in "$WORK"/*/haproxy.csv; do
    [ -f "$csv" ] || continue
    local name; name=$(basename "$(dirname "$csv")")
    "${MVN[@]}" -f "$ROOT/load-tests/pom.xml" exec:java -Dexec.mainClass=dev.notejam.loadtests.capacity.ExperimentChart \
      -Dexec.args="$csv $DOCS/experiments/$name.png $name" || log "chart for $name failed"
  done
}

[ "${SKIP_PREPARE:-0}" = 1 ] && [ -d "$WORK/app" ] || prepare
case "$EXPERIMENT" in
  prepare) trap - EXIT; exit 0 ;;
  calibrate) calibrate ;;
  capacity) capacity ;;
  failover) failover ;;
  rollout) rollout ;;
  all) calibrate; capacity; failover; rollout ;;
  correctness) failover; rollout ;;
  summary) ;;
  *) echo "usage: $0 calibrate|capacity|failover|rollout|all|summary" >&2; exit 2 ;;
esac
summarise
