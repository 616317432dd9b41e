#!/usr/bin/env bash
# Throwaway PostgreSQL (Debian's server binaries) and Redis (Debian's redis-server) on 127.0.0.1 for the
# benchmarks, on their own ports and data directories so they never touch a teammate's servers.
#   benchmarks/stores.sh start | stop | status | psql [args]
# Needs: apt-get install postgresql redis-server (PostgreSQL refuses root, so it runs as the `postgres` user).
source "$(dirname "$0")/lib.sh"

PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
PG_DATA="$WORK/pg"
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start() {
  [ -x "$PG_BIN/initdb" ] || die "PostgreSQL server binaries missing: apt-get install postgresql"
  command -v redis-server >/dev/null || die "redis-server missing: apt-get install redis-server"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    log "initdb $PG_DATA ($("$PG_BIN/postgres" --version))"
    mkdir -p "$PG_DATA"; [ "$(id -u)" -eq 0 ] && chown postgres: "$WORK" "$PG_DATA"
    as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w start \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_DATA -c max_connections=100 -c shared_buffers=256MB"
  fi
  pg_psql -d postgres -tAc "select 1 from pg_roles where rolname = 'notejam'" | grep -q 1 \
    || pg_psql -d postgres -c "create role notejam login password '$SPRING_DATASOURCE_PASSWORD'" >/dev/null
  pg_psql -d postgres -tAc "select 1 from pg_database where datname = '$PG_DB'" | grep -q 1 \
    || pg_psql -d postgres -c "create database \"$PG_DB\" owner notejam" >/dev/null
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
      --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log" --dir "$WORK"
    for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  log "stores up: PostgreSQL $PG_PORT, Redis $REDIS_PORT"
}

stop() {
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  [ -f "$PG_DATA/PG_VERSION" ] && as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true
  log "stores stopped (data kept in $WORK; remove it for a fresh start)"
}

# psql as the superuser over the Unix socket in the data directory.
pg_psql() { as_postgres "$PG_BIN/psql" -h "$PG_DATA" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -q "$@"; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status; redis-cli -p "$REDIS_PORT" ping ;;
  psql) shift; pg_psql -d "$PG_DB" "$@" ;;
  *) echo "usage: $0 start|stop|status|psql [args]" >&2; exit 2 ;;
esac
