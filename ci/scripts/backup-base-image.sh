#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Builds the backup image's base (a JRE 25 plus pg_dump/pg_restore of the production PostgreSQL major) into the local
# Docker engine, from the recipe in backup-jobs/src/main/docker/base, under the name backup-jobs/pom.xml gives it
# (backup.base.image). build-images.sh then layers notejam-backup on it as docker://<that name>: no registry holds it.
# Needs a registry for eclipse-temurin and the Ubuntu archive (GitHub runners); on this machine the container smoke
# test uses ci/scripts/local-base-image.sh --variant backup instead (same JRE, Debian's PostgreSQL 15 client).
# Usage: ci/scripts/backup-base-image.sh [--dry-run]
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
cd "$REPO_ROOT"
image=$(backup_base_image)
[ -n "$image" ] || die "no <backup.base.image> in backup-jobs/pom.xml"
[ "$DRY_RUN" = true ] || require_command docker
run docker build --pull --tag "$image" backup-jobs/src/main/docker/base
[ "$DRY_RUN" = true ] || run docker run --rm --entrypoint pg_dump "$image" --version
echo "$image"
