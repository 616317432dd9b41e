#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Disaster-recovery drill on this machine (R4, issue 18): two "regions" as separate process sets on 127.0.0.1, each
# with its own PostgreSQL (Debian), Redis, S3Proxy and app; users write through the primary, a scheduled backup runs
# with the real backup CLI, the bucket replicates to DR, the primary region is SIGKILLed, DR restores the latest
# replicated backup, starts its app and signs users in. Measures RPO and RTO and checks every note.
# The app and the backup CLI are built from the committed tree (git archive HEAD), so the report names one commit.
# Report: docs/dr-drill/drill-report.md, drill-timeline.png, drill-result.json. Takes 3-6 minutes on 2 cores.
# Usage: ci/scripts/dr-drill.sh [--reuse-build] [--dry-run]
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
reuse=false
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --reuse-build) reuse=true ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
cd "$REPO_ROOT"
build="$REPO_ROOT/load-tests/target/drill/build"
commit="$(git rev-parse HEAD)"
if [ "$DRY_RUN" != true ]; then
  # shellcheck source=lib/apt.sh
  source ci/scripts/lib/apt.sh
  apt_install postgresql-15 postgresql-client-15 redis-server
fi
if [ "$reuse" != true ] || [ ! -f "$build/backup-jobs/backup-classpath.txt" ]; then
  run rm -rf "$build"
  run mkdir -p "$build"
  if [ "$DRY_RUN" != true ]; then
    git archive "$commit" pom.xml .mvn mvnw notejam-app backup-jobs | tar -x -C "$build"
    echo "$commit" >"$build/COMMIT"
  fi
  run timeout 900 "$build/mvnw" -B -q -ntp -f "$build/notejam-app/pom.xml" package -Dmaven.test.skip=true
  run timeout 600 "$build/mvnw" -B -q -ntp -f "$build/backup-jobs/pom.xml" test-compile dependency:build-classpath \
    -Dmdep.outputFile=backup-classpath.txt -Dmdep.includeScope=test
fi
# A fresh run directory: the PostgreSQL data directories of an earlier run belong to the postgres user.
run rm -rf "$REPO_ROOT/load-tests/target/drill/run"
[ "$DRY_RUN" = true ] || commit="$(cat "$build/COMMIT" 2>/dev/null || echo "$commit")"
run timeout 1800 ./mvnw -B -q -ntp -pl load-tests compile exec:java@dr-drill -Ddrill.buildDir="$build" -Ddrill.commit="$commit"
