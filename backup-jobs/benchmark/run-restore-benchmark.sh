#!/usr/bin/env bash
# Restore benchmark (issue 22), one run after the other against one database on this machine:
#   1. our backup with per-table row checksums, and 2. with --no-checksums: wall, CPU of the job, and CPU of the
#      PostgreSQL server (postmaster + backends, from /proc), i.e. what the checksums cost on the server;
#   3. pg_restore alone from a local custom-format file, one stream, --single-transaction (the reference);
#   4. pg_restore -j N alone from the same file (what parallel restore can give on this machine);
#   5. our restore --latest into an empty database (the build given by BENCH_CLASSES, default target/classes).
# Usage: PGHOST=127.0.0.1 PGPORT=55422 PGUSER=postgres backup-jobs/benchmark/run-restore-benchmark.sh [label]
# Environment: BENCH_DB (default bench), BENCH_DIR (default /tmp/notejam-restore-bench), BENCH_CLASSES,
#              BENCH_JOBS (pg_restore -j, default 2), BENCH_RESTORE_ARGS (extra args of our restore), PG_DATA (server
#              data directory, for the server CPU figures; default: read from the server), BENCH_RESTORE_ONLY=1 (one
#              backup without checksums, no pg_restore references: only the figures of our restore). BACKUP_WORK_DIR is the run's directory
#              unless BENCH_WORK_DIR names another one, or is "none": then BACKUP_WORK_DIR is unset (the default two-pass stream)
set -euo pipefail
cd "$(dirname "$0")/.."

label="${1:-run}"
db="${BENCH_DB:-bench}"
dir="${BENCH_DIR:-/tmp/notejam-restore-bench}/$label"
classes="${BENCH_CLASSES:-target/classes}"
jobs="${BENCH_JOBS:-2}"
rm -rf "$dir"; mkdir -p "$dir"
[ -f target/bench-classpath.txt ] || ../mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
cp="target/test-classes:$classes:$(cat target/bench-classpath.txt)"
data_dir="${PG_DATA:-$(psql -d "$db" -Atc "SHOW data_directory")}"
postmaster=$(head -1 "$data_dir/postmaster.pid")

server_cpu() { # CPU seconds of the PostgreSQL server so far: postmaster incl. exited children, plus live backends
  local ticks; ticks=$(getconf CLK_TCK)
  { awk '{print $14 + $15 + $16 + $17}' "/proc/$postmaster/stat"
    for p in $(pgrep -P "$postmaster"); do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || true; done
  } | awk -v t="$ticks" '{s += $1} END {printf "%.1f", s / t}'
}

measure() { # name, command...: GNU time for the job, /proc for the server
  local name="$1"; shift
  local before after
  before=$(server_cpu)
  /usr/bin/time -v -o "$dir/$name.time" "$@"
  after=$(server_cpu)
  local wall user sys
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$dir/$name.time")
  user=$(awk -F': ' '/User time/ {print $2}' "$dir/$name.time")
  sys=$(awk -F': ' '/System time/ {print $2}' "$dir/$name.time")
  echo "$name $wall $user $sys $(awk "BEGIN {printf \"%.1f\", $after - $before}") $(cut -d' ' -f1 /proc/loadavg)" >> "$dir/results"
}

fresh_db() { psql -d "$db" -qc "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"; }

db_mb=$(psql -d "$db" -Atc "SELECT round(pg_database_size(current_database()) / 1e6)")
notes=$(psql -d "$db" -Atc "SELECT count(*) FROM notes")
echo "restore-bench $label: database $db: $db_mb MB, $notes notes; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

java -Xmx1g -Djava.io.tmpdir="$dir" -cp "$cp" dev.notejam.backup.benchmark.S3ProxyMain bench > "$dir/s3proxy.out" 2> "$dir/s3proxy.err" &
s3proxy_pid=$!
trap 'kill $s3proxy_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do grep -q BACKUP_S3_BUCKET "$dir/s3proxy.out" 2>/dev/null && break; sleep 0.5; done
BACKUP_S3_ENDPOINT=$(sed -n 's/^BACKUP_S3_ENDPOINT=//p' "$dir/s3proxy.out")
BACKUP_S3_BUCKET=$(sed -n 's/^BACKUP_S3_BUCKET=//p' "$dir/s3proxy.out")
BACKUP_ENCRYPTION_KEY=$(openssl rand -base64 32)
export BACKUP_S3_ENDPOINT BACKUP_S3_BUCKET BACKUP_ENCRYPTION_KEY
export AWS_ACCESS_KEY_ID=test-access-key AWS_SECRET_ACCESS_KEY=test-secret-key  # S3Proxy's test identity only
export BACKUP_DATABASE_URL="jdbc:postgresql://${PGHOST:-127.0.0.1}:${PGPORT:-5432}/$db" BACKUP_DATABASE_USERNAME="${PGUSER:-postgres}" \
       BACKUP_DATABASE_PASSWORD="${PGPASSWORD:-}" BACKUP_ENVIRONMENT=dev BACKUP_S3_REGION=us-east-1 BACKUP_S3_PATH_STYLE=true
if [ "${BENCH_WORK_DIR:-}" = none ]; then unset BACKUP_WORK_DIR; else export BACKUP_WORK_DIR="${BENCH_WORK_DIR:-$dir}"; fi
jvm=(java -Xmx128m -XX:+UseG1GC -Djava.io.tmpdir="$dir" -cp "$cp" dev.notejam.backup.BackupCli)

echo "restore-bench: 1/5 backup --no-checksums" >&2
measure backup_no_checksums "${jvm[@]}" backup --trigger manual --no-checksums > "$dir/backup-nc.log"
if [ "${BENCH_RESTORE_ONLY:-}" != 1 ]; then
sleep 61 # next minute: a new object key; the checksummed backup is the latest and is the one restored
echo "restore-bench: 2/5 backup (with row checksums)" >&2
measure backup_checksums "${jvm[@]}" backup --trigger manual > "$dir/backup.log"

echo "restore-bench: 3/5 pg_restore alone, one stream, --single-transaction, from a local file" >&2
pg_dump -Fc -Z0 -d "$db" -f "$dir/dump.custom"
fresh_db "${db}_ref1"
measure pg_restore_single_stream pg_restore --single-transaction --exit-on-error --no-owner --no-acl -d "${db}_ref1" "$dir/dump.custom"
echo "restore-bench: 4/5 pg_restore -j $jobs alone from the same file" >&2
fresh_db "${db}_refj"
measure "pg_restore_j$jobs" pg_restore -j "$jobs" --exit-on-error --no-owner --no-acl -d "${db}_refj" "$dir/dump.custom"
rm -f "$dir/dump.custom"
psql -d "$db" -qc "DROP DATABASE ${db}_ref1" -c "DROP DATABASE ${db}_refj"
fi

echo "restore-bench: 5/5 our restore --latest ${BENCH_RESTORE_ARGS:-}" >&2
fresh_db "${db}_restored"
# shellcheck disable=SC2086
BACKUP_DATABASE_URL="jdbc:postgresql://${PGHOST:-127.0.0.1}:${PGPORT:-5432}/${db}_restored" \
  measure our_restore "${jvm[@]}" restore --latest ${BENCH_RESTORE_ARGS:-} > "$dir/restore.log"
restored_notes=$(psql -d "${db}_restored" -Atc "SELECT count(*) FROM notes")
[ "$restored_notes" = "$notes" ] || { echo "restore-bench: restored $restored_notes notes, expected $notes" >&2; exit 1; }
psql -d "$db" -qc "DROP DATABASE ${db}_restored"

echo
echo "$label: database $db_mb MB, $notes notes; classes $classes; BACKUP_WORK_DIR ${BACKUP_WORK_DIR:-unset}; restore args: ${BENCH_RESTORE_ARGS:-none}."
echo
echo "| run | wall s | job CPU s (user+sys) | server CPU s | load avg at end |"
echo "|---|---:|---:|---:|---:|"
while read -r name wall user sys server load; do
  awk -v n="$name" -v w="$wall" -v u="$user" -v s="$sys" -v sv="$server" -v l="$load" \
    'BEGIN {printf "| %s | %.1f | %.1f | %s | %s |\n", n, w, u + s, sv, l}'
done < "$dir/results"
grep -h '"step":"\(verify-object\|pg_restore\|download\|restore-parallel\|compare\)"' "$dir/restore.log" | sed 's/^/  /' || true
