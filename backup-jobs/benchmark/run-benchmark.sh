#!/usr/bin/env bash
# Backup benchmark (issue 6), side by side in one run against one database:
#   1. pg_dump -Fc to /dev/null              (the ceiling: what pg_dump alone does)
#   2. pg_dump | gzip | openssl enc > file   (the classic shell pipeline)
#   3. notejam-backup backup                 (to S3Proxy on 127.0.0.1, in its own JVM; default: with row checksums)
#   4. notejam-backup backup --no-checksums  (row counts only: the pipeline itself)
#   5. notejam-backup restore                (into an empty database)
# Each is measured with GNU time (wall, user+sys CPU of the whole process tree, peak RSS of the largest process);
# the JVM runs with -Xmx128m and a GC log, from which the peak heap in use is read.
#
# Usage: backup-jobs/benchmark/run-benchmark.sh      (after generating the database, see BENCHMARKS.md)
# Environment: PGHOST PGPORT PGUSER PGPASSWORD (libpq), BENCH_DB (default bench), BENCH_DIR (default /tmp/notejam-bench)
set -euo pipefail
cd "$(dirname "$0")/.."

db="${BENCH_DB:-bench}"
dir="${BENCH_DIR:-/tmp/notejam-bench}"
rm -rf "$dir"; mkdir -p "$dir"
[ -f target/bench-classpath.txt ] || ../mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
[ -d target/test-classes/dev/notejam/backup/benchmark ] || ../mvnw -B -q test-compile
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"

db_bytes=$(psql -d "$db" -Atc "SELECT pg_database_size(current_database())")
db_mb=$(awk "BEGIN {printf \"%.0f\", $db_bytes / 1e6}")
notes=$(psql -d "$db" -Atc "SELECT count(*) FROM notes")

measure() { # name, command...: runs under GNU time, appends a result row
  local name="$1"; shift
  /usr/bin/time -v -o "$dir/$name.time" "$@"
  local wall user sys rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$dir/$name.time")
  user=$(awk -F': ' '/User time/ {print $2}' "$dir/$name.time")
  sys=$(awk -F': ' '/System time/ {print $2}' "$dir/$name.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$dir/$name.time")
  echo "$name $wall $user $sys $rss" >> "$dir/results"
}

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench: database $db: $db_mb MB, $notes notes; load average $load_at_start" >&2

echo "bench: 1/5 pg_dump -Fc > /dev/null" >&2
measure pg_dump_alone sh -c "pg_dump -Fc -d '$db' > /dev/null"

echo "bench: 2/5 pg_dump | gzip | openssl enc > file" >&2
BENCH_PASSPHRASE="bench-$(date +%s%N)"
export BENCH_PASSPHRASE
measure shell_pipeline sh -c "pg_dump -d '$db' | gzip | openssl enc -aes-256-cbc -pbkdf2 -pass env:BENCH_PASSPHRASE > '$dir/shell.sql.gz.enc'"
shell_bytes=$(stat -c %s "$dir/shell.sql.gz.enc"); rm -f "$dir/shell.sql.gz.enc"

echo "bench: 3/5 notejam-backup backup (S3Proxy in its own JVM)" >&2
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
jvm=(java -Xmx128m -XX:+UseG1GC -Xlog:gc:file="$dir/gc-NAME.log" -cp "$cp" dev.notejam.backup.BackupCli)
measure our_backup "${jvm[@]/NAME/backup}" backup --trigger manual > "$dir/backup.log"
backup_bytes=$(grep -o '"encryptedBytes":[0-9]*' "$dir/backup.log" | head -1 | cut -d: -f2)
echo "bench: 4/5 notejam-backup backup --no-checksums" >&2
sleep 60 # next minute: a new object key
measure our_backup_no_checksums "${jvm[@]/NAME/backup-nc}" backup --trigger manual --no-checksums > "$dir/backup-nc.log"

echo "bench: 5/5 notejam-backup restore into an empty database" >&2
psql -d "$db" -qc "DROP DATABASE IF EXISTS ${db}_restored" -c "CREATE DATABASE ${db}_restored"
BACKUP_DATABASE_URL="jdbc:postgresql://${PGHOST:-127.0.0.1}:${PGPORT:-5432}/${db}_restored" \
  measure our_restore "${jvm[@]/NAME/restore}" restore --latest > "$dir/restore.log"
restored_notes=$(psql -d "${db}_restored" -Atc "SELECT count(*) FROM notes")
[ "$restored_notes" = "$notes" ] || { echo "bench: restored $restored_notes notes, expected $notes" >&2; exit 1; }

peak_heap() { # "highest heap in use before a GC / highest left after a GC (live data)", in MB, from a -Xlog:gc log
  echo "$(grep -oE '[0-9]+M->[0-9]+M' "$1" | cut -dM -f1 | sort -n | tail -1) / $(grep -oE '[0-9]+M->[0-9]+M' "$1" | sed 's/.*->//; s/M//' | sort -n | tail -1)"
}

echo
echo "Database: $db_mb MB (pg_database_size), $notes notes; load average at start: $load_at_start, at end: $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "| run | wall s | MB/s (database MB / wall) | CPU s (user+sys) | peak RSS MB | heap MB: peak used / peak live | output MB |"
echo "|---|---:|---:|---:|---:|---:|---:|"
while read -r name wall user sys rss; do
  heap="-"; out="-"
  case "$name" in
    our_backup) heap=$(peak_heap "$dir/gc-backup.log"); out=$(awk "BEGIN {printf \"%.0f\", $backup_bytes/1e6}") ;;
    our_backup_no_checksums) heap=$(peak_heap "$dir/gc-backup-nc.log"); out=$(awk "BEGIN {printf \"%.0f\", $backup_bytes/1e6}") ;;
    our_restore) heap=$(peak_heap "$dir/gc-restore.log") ;;
    shell_pipeline) out=$(awk "BEGIN {printf \"%.0f\", $shell_bytes/1e6}") ;;
  esac
  awk -v n="$name" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v h="$heap" -v o="$out" -v mb="$db_mb" \
    'BEGIN {printf "| %s | %.1f | %.1f | %.1f | %s | %s | %s |\n", n, w, mb / w, u + s, r, h, o}'
done < "$dir/results"
