#!/usr/bin/env bash
# Dependency failover experiments (issue 21): the data stores fail over under the baseline journeys, as RDS and
# ElastiCache do when a zone is lost, and we count what users saw. Everything runs on 127.0.0.1, on ports of its own
# (checked free first), and is stopped on exit.
#   postgres  a primary and a synchronous streaming standby (Debian's PostgreSQL), the app connecting through an
#             endpoint (an HAProxy TCP proxy) that stands in for the RDS DNS name. The primary is lost, the standby
#             promoted after FAILOVER_DETECT_SECONDS, then the endpoint moved to it.
#   redis     a primary, a replica and three Redis Sentinels (Debian's), the app on an endpoint (HAProxy, routing to
#             whichever server answers role:master) that stands in for ElastiCache's primary endpoint. The primary
#             is lost and Sentinel promotes the replica; sessions signed in before are counted after.
# Settings: MODE=kill (SIGKILL: connections reset, as when a node dies) or MODE=freeze (SIGSTOP: connections hang,
# as when a zone is cut off); SETTINGS=tuned (the app's and chart's timeouts) or SETTINGS=defaults (pool and driver
# defaults, as before issue 21). Raw results: load-tests/target/dependency-failover/<name>/; summaries:
# docs/failover-experiments/<name>.md (summarise-failover.py).
#   load-tests/harness/dependency-failover.sh postgres           # MODE=kill SETTINGS=tuned
#   SETTINGS=defaults MODE=freeze load-tests/harness/dependency-failover.sh postgres
#   load-tests/harness/dependency-failover.sh redis
set -euo pipefail

EXPERIMENT="${1:?usage: $0 postgres|redis}"
# the command that reproduces this run (for its report): the knobs given in the environment, then the script
REPRODUCE="load-tests/harness/dependency-failover.sh $EXPERIMENT"
for knob in JAVA_OPTS_APP BASELINE POOL_SIZE REDIS_COMMAND_TIMEOUT SENTINEL_DOWN_MS FAILOVER_DETECT_SECONDS \
            FAIL_AFTER_SECONDS RUN_SECONDS INSTANCES SETTINGS MODE; do
  if [ -n "${!knob:-}" ]; then REPRODUCE="$knob=$(printf %q "${!knob}") $REPRODUCE"; fi
done
MODE="${MODE:-kill}"
SETTINGS="${SETTINGS:-tuned}"
case "$EXPERIMENT/$MODE/$SETTINGS" in postgres/*/* | redis/*/*) ;; *) echo "usage: $0 postgres|redis" >&2; exit 2 ;; esac
case "$MODE" in kill | freeze) ;; *) echo "MODE is kill or freeze" >&2; exit 2 ;; esac
case "$SETTINGS" in tuned | defaults) ;; *) echo "SETTINGS is tuned or defaults" >&2; exit 2 ;; esac
NAME="$EXPERIMENT-$MODE-$SETTINGS"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=load-tests/harness/app-instances.sh
. "$ROOT/load-tests/harness/app-instances.sh"
WORK="$ROOT/load-tests/target/dependency-failover"
DIR="$WORK/$NAME"
DOCS="$ROOT/docs/failover-experiments"
RUN_SECONDS="${RUN_SECONDS:-150}"          # Gatling baseline length
FAIL_AFTER_SECONDS="${FAIL_AFTER_SECONDS:-50}"  # after the simulation started (pool seeding is before it)
FAILOVER_DETECT_SECONDS="${FAILOVER_DETECT_SECONDS:-10}"  # primary lost -> standby promoted (postgres)
SENTINEL_DOWN_MS="${SENTINEL_DOWN_MS:-5000}"               # Sentinel's down-after-milliseconds (redis)
INSTANCES="${INSTANCES:-2}"
# unusual ports, apart from run-experiment.sh's, checked free before use, and below the kernel's ephemeral range
# (32768-60999): with ports inside it, an outgoing connection of the replica or a Sentinel took the Redis endpoint's
# port as its local port and HAProxy could not bind it
PG_PRIMARY=27541; PG_STANDBY=27542; PG_ENDPOINT=27540
REDIS_PRIMARY=27641; REDIS_REPLICA=27642; REDIS_ENDPOINT=27640; SENTINEL_BASE=27650
LB_PORT=27500; BASE_HTTP=27510; BASE_MGMT=27520
JAVA_OPTS_APP="${JAVA_OPTS_APP:--Xmx384m -XX:+UseSerialGC}"
MVN=("$ROOT/mvnw" -B -ntp -q)
declare -A APP_PID=()

log() { printf '[failover %s] %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$DIR/harness.log"; }
event() { echo "$(date +%s.%N),$1" >>"$DIR/events.csv"; log "event: $1"; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1; }
pg() { runuser -u postgres -- "$(pg_bin)/$1" "${@:2}"; }

require_free_port() {
  if ss -ltnH "sport = :$1" | grep -q .; then
    echo "port $1 is already in use by another process: refusing to start" >&2; exit 1
  fi
}

install_tools() {
  # shellcheck source=/dev/null
  source "$ROOT/ci/scripts/lib/apt.sh"
  apt_install postgresql redis-server redis-sentinel haproxy socat python3
}

# ---------------------------------------------------------------- PostgreSQL: primary + synchronous standby
start_postgres_pair() {
  mkdir -p "$DIR/pg" && chown postgres:postgres "$DIR/pg"
  pg initdb -D "$DIR/pg/primary" -A trust -U postgres --locale=C.UTF-8 -E UTF8 >/dev/null
  local common="-c listen_addresses=127.0.0.1 -c max_connections=200 -c wal_level=replica -c max_wal_senders=5 -c hot_standby=on"
  pg pg_ctl -D "$DIR/pg/primary" -l "$DIR/pg/primary.log" -w \
    -o "-p $PG_PRIMARY -c unix_socket_directories=$DIR/pg $common" start >/dev/null
  psql -h 127.0.0.1 -p $PG_PRIMARY -U postgres -qc "create database notejam" >/dev/null
  # --checkpoint=fast: the default (spread) waits for the next timed checkpoint, up to 5 minutes on an idle primary
  pg pg_basebackup -h 127.0.0.1 -p $PG_PRIMARY -U postgres -D "$DIR/pg/standby" -R -X stream --checkpoint=fast >/dev/null
  pg pg_ctl -D "$DIR/pg/standby" -l "$DIR/pg/standby.log" -w \
    -o "-p $PG_STANDBY -c unix_socket_directories=$DIR/pg $common" start >/dev/null
  # RDS Multi-AZ (instance) replicates synchronously: a commit is acknowledged once the standby has it.
  psql -h 127.0.0.1 -p $PG_PRIMARY -U postgres -qc "alter system set synchronous_standby_names = '*'" -c "select pg_reload_conf()" >/dev/null
  for _ in $(seq 1 50); do
    [ "$(psql -h 127.0.0.1 -p $PG_PRIMARY -U postgres -Atc "select sync_state from pg_stat_replication")" = sync ] && break
    sleep 0.2
  done
  log "PostgreSQL primary :$PG_PRIMARY, standby :$PG_STANDBY ($(psql -h 127.0.0.1 -p $PG_PRIMARY -U postgres -Atc "select sync_state from pg_stat_replication"))"
}

postgres_pids() { # the postmaster and its children of one data directory
  local pid; pid=$(head -1 "$DIR/pg/$1/postmaster.pid")
  echo "$pid $(pgrep -P "$pid" | tr '\n' ' ')"
}

stop_postgres_pair() {
  for node in primary standby; do
    [ -f "$DIR/pg/$node/postmaster.pid" ] || continue
    # shellcheck disable=SC2046
    kill -CONT $(postgres_pids "$node") 2>/dev/null || true
    pg pg_ctl -D "$DIR/pg/$node" -m immediate -w stop >/dev/null 2>&1 || true
  done
}

# ---------------------------------------------------------------- Redis: primary + replica + 3 Sentinels
start_redis_group() {
  mkdir -p "$DIR/redis"
  for port in $REDIS_PRIMARY $REDIS_REPLICA; do
    local extra=()
    [ "$port" = "$REDIS_REPLICA" ] && extra=(--replicaof 127.0.0.1 "$REDIS_PRIMARY")
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
      --pidfile "$DIR/redis/$port.pid" --logfile "$DIR/redis/$port.log" --dir "$DIR/redis" "${extra[@]}"
  done
  for i in 1 2 3; do
    local port=$((SENTINEL_BASE + i))
    cat >"$DIR/redis/sentinel$i.conf" <<CFG
port $port
bind 127.0.0.1
daemonize yes
pidfile $DIR/redis/sentinel$i.pid
logfile $DIR/redis/sentinel$i.log
dir $DIR/redis
sentinel monitor notejam 127.0.0.1 $REDIS_PRIMARY 2
sentinel down-after-milliseconds notejam $SENTINEL_DOWN_MS
sentinel failover-timeout notejam 30000
sentinel parallel-syncs notejam 1
CFG
    redis-sentinel "$DIR/redis/sentinel$i.conf"
  done
  for _ in $(seq 1 50); do
    redis-cli -p $REDIS_REPLICA info replication | grep -q 'master_link_status:up' && break; sleep 0.2
  done
  log "Redis primary :$REDIS_PRIMARY, replica :$REDIS_REPLICA ($(redis-cli -p $REDIS_REPLICA info replication | grep -o 'master_link_status:[a-z]*')), Sentinels :$((SENTINEL_BASE + 1))-$((SENTINEL_BASE + 3))"
}

stop_redis_group() {
  for f in "$DIR"/redis/*.pid; do
    [ -f "$f" ] || continue
    kill -CONT "$(cat "$f")" 2>/dev/null || true
    kill "$(cat "$f")" 2>/dev/null || true
  done
}

# ---------------------------------------------------------------- HAProxy: app balancer + store endpoints
start_haproxy() {
  {
    cat <<CFG
global
  stats socket $DIR/haproxy.sock mode 600 level admin
  maxconn 2000
defaults
  timeout connect 2s
  timeout client 60s
  timeout server 60s
frontend notejam
  mode http
  bind 127.0.0.1:$LB_PORT
  default_backend app
backend app
  mode http
  balance roundrobin
  option httpchk GET /actuator/health/readiness
  http-check expect status 200
  retries 2
  retry-on conn-failure
  option redispatch
  default-server inter 1s fall 2 rise 2
CFG
    for i in $(seq 1 "$INSTANCES"); do
      echo "  server app$i 127.0.0.1:$((BASE_HTTP + i)) check port $((BASE_MGMT + i))"
    done
    cat <<CFG
# The database endpoint: like the RDS name, it points at one server; moving it (the failover's DNS change) leaves
# connections already open to the old server as they are. Long timeouts: the proxy must not hide a hang.
listen postgres
  mode tcp
  bind 127.0.0.1:$PG_ENDPOINT
  timeout client 1h
  timeout server 1h
  server primary 127.0.0.1:$PG_PRIMARY
  server standby 127.0.0.1:$PG_STANDBY disabled
# The Redis endpoint: like ElastiCache's primary endpoint, it follows whichever node is the primary.
listen redis
  mode tcp
  bind 127.0.0.1:$REDIS_ENDPOINT
  timeout client 1h
  timeout server 1h
  option tcp-check
  tcp-check connect
  tcp-check send PING\r\n
  tcp-check expect string +PONG
  tcp-check send info\ replication\r\n
  tcp-check expect string role:master
  tcp-check send QUIT\r\n
  tcp-check expect string +OK
  server r1 127.0.0.1:$REDIS_PRIMARY check inter 1s fall 1 rise 1
  server r2 127.0.0.1:$REDIS_REPLICA check inter 1s fall 1 rise 1
CFG
  } >"$DIR/haproxy.cfg"
  haproxy -f "$DIR/haproxy.cfg" -D -p "$DIR/haproxy.pid"
}

stop_haproxy() { [ -f "$DIR/haproxy.pid" ] && kill "$(cat "$DIR/haproxy.pid")" 2>/dev/null || true; rm -f "$DIR/haproxy.pid"; }
haproxy_cmd() { echo "$*" | socat stdio "unix-connect:$DIR/haproxy.sock"; }

# once a second: requests and 5xx seen by the balancer, and every server's state (bounded)
sample() {
  echo "epoch,proxy,server,requests,http_5xx,status" >"$DIR/samples.csv"
  for _ in $(seq 1 $((RUN_SECONDS + 400))); do
    [ -S "$DIR/haproxy.sock" ] || break
    haproxy_cmd "show stat" 2>/dev/null | awk -F, -v now="$(date +%s)" '
      NR == 1 { for (i = 1; i <= NF; i++) { h = $i; sub(/^# /, "", h); col[h] = i }; next }
      ($1 == "notejam" && $2 == "FRONTEND") || $1 == "app" || $1 == "postgres" || $1 == "redis" {
        print now "," $1 "," $2 "," $col["stot"] "," $col["hrsp_5xx"] "," $col["status"] }' >>"$DIR/samples.csv" || true
    sleep 1
  done
}

# ---------------------------------------------------------------- the app
app_settings() {
  if [ "$SETTINGS" = defaults ]; then
    # before issue 21: the pool's 5 s wait, HikariCP's default validation timeout, the driver's defaults.
    # Spring's environment form of connection-timeout is CONNECTIONTIMEOUT: with CONNECTION_TIMEOUT Spring also
    # tries a property "connection", calls HikariDataSource.getConnection() while binding, and the start fails
    # ("The configuration of the pool is sealed once started").
    echo "SPRING_DATASOURCE_HIKARI_CONNECTIONTIMEOUT=5000 SPRING_DATASOURCE_HIKARI_VALIDATIONTIMEOUT=5000"
    echo "SPRING_DATASOURCE_HIKARI_KEEPALIVETIME=120000 NOTEJAM_TIMEOUTS_DATABASE_CONNECT=10s NOTEJAM_TIMEOUTS_DATABASE_SOCKET=0s"
  fi
}

start_instance() {
  local i=$1
  # shellcheck disable=SC2046
  env $(app_settings) \
  SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$PG_ENDPOINT/notejam" SPRING_DATASOURCE_USERNAME=postgres \
  SPRING_DATASOURCE_PASSWORD="" SPRING_DATA_REDIS_HOST=127.0.0.1 SPRING_DATA_REDIS_PORT=$REDIS_ENDPOINT \
  SERVER_PORT=$((BASE_HTTP + i)) SERVER_ADDRESS=127.0.0.1 MANAGEMENT_SERVER_PORT=$((BASE_MGMT + i)) \
  MANAGEMENT_SERVER_ADDRESS=127.0.0.1 NOTEJAM_BASE_URL="http://127.0.0.1:$LB_PORT" \
  SPRING_DATA_REDIS_CONNECTTIMEOUT=10s SPRING_DATA_REDIS_TIMEOUT=${REDIS_COMMAND_TIMEOUT:-10s} MALLOC_ARENA_MAX=2 \
  NOTEJAM_LIMITS_SIGNUPSPERADDRESS=100000 NOTEJAM_LIMITS_SIGNINFAILURESPERADDRESS=100000 \
    java $JAVA_OPTS_APP -jar "$DIR/app/notejam-app-exec.jar" \
    >>"$DIR/app$i.log" 2>&1 &
  APP_PID[$i]=$!
}

# Redis timeouts of 10 s, not the chart's 2 s: Lettuce's first handshake shares the command timeout, and on this
# shared 2-core machine (load average over 20 while other builds run) JVMs starting failed it at 2 s. A killed node
# resets its connections, so the timeout plays no part in MODE=kill; MODE=freeze redis needs REDIS_COMMAND_TIMEOUT=2s.
# Every simulated user comes from 127.0.0.1: the per-address sign-up and sign-in limits are lifted (the pool seeding
# was refused with 429 otherwise).
# start and wait until ready; a start that fails on a busy machine (first Redis handshake) is tried again, 3 times
start_ready() {
  local i=$1
  for attempt in 1 2 3; do
    start_instance "$i"
    local deadline=$((SECONDS + ${READY_TIMEOUT:-420}))
    while [ $SECONDS -lt $deadline ]; do
      if curl -fs -o /dev/null "http://127.0.0.1:$((BASE_MGMT + i))/actuator/health/readiness"; then
        log "instance $i ready (attempt $attempt, pid ${APP_PID[$i]})"; return 0
      fi
      kill -0 "${APP_PID[$i]}" 2>/dev/null || break
      sleep 0.5
    done
    log "instance $i did not become ready (attempt $attempt): $(grep -o '"message":"[^"]*"' "$DIR/app$i.log" | tail -1)"
    kill -9 "${APP_PID[$i]}" 2>/dev/null || true
  done
  return 1
}

cleanup() {
  set +e
  [ -n "${SAMPLER:-}" ] && kill "$SAMPLER" 2>/dev/null
  stop_haproxy
  stop_instances
  stop_postgres_pair
  stop_redis_group
}

prepare() {
  install_tools
  for port in $PG_PRIMARY $PG_STANDBY $PG_ENDPOINT $REDIS_PRIMARY $REDIS_REPLICA $REDIS_ENDPOINT $LB_PORT \
              $((SENTINEL_BASE + 1)) $((SENTINEL_BASE + 2)) $((SENTINEL_BASE + 3)); do
    require_free_port "$port"
  done
  for i in $(seq 1 "$INSTANCES"); do require_free_port $((BASE_HTTP + i)); require_free_port $((BASE_MGMT + i)); done
  rm -rf "$DIR" && mkdir -p "$DIR/app"
  echo "epoch,event" >"$DIR/events.csv"
  # the app as built in this work tree (not installed in ~/.m2: the Gatling module only needs its own classes)
  if [ "${REBUILD:-0}" = 1 ] || ! ls "$ROOT"/notejam-app/target/notejam-app-*-exec.jar >/dev/null 2>&1; then
    "${MVN[@]}" -f "$ROOT/pom.xml" -pl notejam-app package -DskipTests
  fi
  # a copy per run: a rebuild or another run cannot change the jar under running instances
  cp "$ROOT"/notejam-app/target/notejam-app-*-exec.jar "$DIR/app/notejam-app-exec.jar"
  "${MVN[@]}" -f "$ROOT/load-tests/pom.xml" test-compile
  echo "$EXPERIMENT $MODE $SETTINGS redis-timeout=${REDIS_COMMAND_TIMEOUT:-10s} detect=${FAILOVER_DETECT_SECONDS}s sentinel-down=${SENTINEL_DOWN_MS}ms instances=$INSTANCES run=${RUN_SECONDS}s" >"$DIR/settings.txt"
  app_settings >>"$DIR/settings.txt"
  echo "$REPRODUCE" >"$DIR/command.txt"
  echo "$(cut -d' ' -f1-3 /proc/loadavg)" >"$DIR/loadavg-start.txt"
}

run_gatling() {
  log "Gatling baseline ${RUN_SECONDS}s through 127.0.0.1:$LB_PORT (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  set +e
  "${MVN[@]}" -f "$ROOT/load-tests/pom.xml" gatling:test -Pbaseline -Dnotejam.baseUrl="http://127.0.0.1:$LB_PORT" \
    -Dloadtest.outputDir="$DIR" -Dgatling.resultsFolder="$DIR/gatling" -Dloadtest.poolSize="${POOL_SIZE:-12}" \
    -Dloadtest.enforceSlo=false -Dloadtest.baselineSeconds="$RUN_SECONDS" \
    -Dloadtest.baselineUsersPerSec="${BASELINE:-1}" >"$DIR/gatling.out" 2>&1
  echo $? >"$DIR/gatling.status"
  set -e
  echo "$(cut -d' ' -f1-3 /proc/loadavg)" >"$DIR/loadavg-end.txt"
}

wait_simulation_started() {
  local waited=0
  until grep -q 'Simulation .* started' "$DIR/gatling.out" 2>/dev/null || [ $waited -ge 400 ]; do sleep 1; waited=$((waited + 1)); done
  event "simulation started"
}

lose() { # lose <pids>: the node dies (kill) or its zone is cut off (freeze)
  if [ "$MODE" = kill ]; then kill -9 "$@"; else kill -STOP "$@"; fi
}

# ---------------------------------------------------------------- experiments
postgres_failover() {
  wait_simulation_started
  sleep "$FAIL_AFTER_SECONDS"
  # shellcheck disable=SC2046
  lose $(postgres_pids primary)
  event "primary lost ($MODE)"
  sleep "$FAILOVER_DETECT_SECONDS"
  pg pg_ctl -D "$DIR/pg/standby" -w promote >/dev/null
  until [ "$(psql -h 127.0.0.1 -p $PG_STANDBY -U postgres -Atc 'select pg_is_in_recovery()')" = f ]; do sleep 0.1; done
  event "standby promoted"
  haproxy_cmd "disable server postgres/primary" >/dev/null
  haproxy_cmd "enable server postgres/standby" >/dev/null
  event "endpoint moved to the new primary"
}

redis_failover() {
  wait_simulation_started
  sleep $((FAIL_AFTER_SECONDS - 15))
  python3 "$ROOT/load-tests/harness/session_census.py" sign-in "http://127.0.0.1:$LB_PORT" "$DIR/sessions" 30 | tee -a "$DIR/harness.log"
  event "30 sessions signed in"
  sleep 15
  lose "$(cat "$DIR/redis/$REDIS_PRIMARY.pid")"
  event "primary lost ($MODE)"
  local deadline=$((SECONDS + 120))
  until redis-cli -p $REDIS_REPLICA info replication 2>/dev/null | grep -q 'role:master' || [ $SECONDS -ge $deadline ]; do sleep 0.1; done
  event "replica promoted by Sentinel"
  until haproxy_cmd "show stat" | awk -F, '$1 == "redis" && $2 == "r2" {print $18}' | grep -q '^UP' || [ $SECONDS -ge $deadline ]; do sleep 0.1; done
  event "endpoint follows the new primary"
  sleep 20
  python3 "$ROOT/load-tests/harness/session_census.py" check "http://127.0.0.1:$LB_PORT" "$DIR/sessions" 30 | tee "$DIR/sessions-after.txt" | tee -a "$DIR/harness.log"
  event "sessions checked"
}

verify_writes() { # acknowledged notes against the database that serves now
  local port=$PG_PRIMARY
  [ "$EXPERIMENT" = postgres ] && port=$PG_STANDBY
  psql -h 127.0.0.1 -p $port -U postgres -d notejam -qAt <<SQL >"$DIR/writes-check.txt"
create temp table ack(id bigint, name text, deleted boolean);
\copy ack from '$DIR/acknowledged-writes.csv' csv
select 'acknowledged_notes', count(*) from ack;
select 'missing_in_db', count(*) from ack a left join notes n on n.id = a.id where not a.deleted and n.id is null;
select 'stale_name_in_db', count(*) from ack a join notes n on n.id = a.id where not a.deleted and n.name <> a.name;
select 'deleted_but_present', count(*) from ack a join notes n on n.id = a.id where a.deleted;
SQL
  tr '|' ' ' <"$DIR/writes-check.txt" | tee -a "$DIR/harness.log"
}

mkdir -p "$WORK"
prepare
trap cleanup EXIT
trap 'exit 130' INT TERM
start_postgres_pair
start_redis_group
start_haproxy
for i in $(seq 1 "$INSTANCES"); do start_ready "$i"; done
sleep 3
sample & SAMPLER=$!
run_gatling & GATLING=$!
"${EXPERIMENT}_failover"
wait "$GATLING" || true
log "Gatling exit $(cat "$DIR/gatling.status"); $(grep -E 'request count' "$DIR/gatling.out" | tr -s ' ' | tail -1)"
verify_writes
cleanup
SAMPLER=""
python3 "$ROOT/load-tests/harness/summarise-failover.py" "$DIR" "$DOCS" "$NAME"
