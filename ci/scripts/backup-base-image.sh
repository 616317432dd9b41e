#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Builds the backup image's base (a JRE 25 plus pg_dump/pg_restore of the production PostgreSQL major) into the local
# Docker engine, from the recipe in backup-jobs/src/main/docker/base, under the name backup-jobs/pom.xml gives it
# (backup.base.image). build-images.sh then layers notejam-backup on it as docker://<that name>: no registry holds it.
# Needs a registry for eclipse-temurin and the Ubuntu archive (GitHub runners); on this machine the container smoke
# test uses ci/scripts/local-base-image.sh --variant backup instead (same JRE, Debian's PostgreSQL 15 client).
# The base it starts from is pinned by digest in the Dockerfile (ARG BASE_IMAGE). The image ID of the result is
# written to target/backup-base.env; build-images.sh layers on that exact image or refuses (a retagged base).
# Usage: ci/scripts/backup-base-image.sh [--from IMAGE] [--dry-run]
#   --from IMAGE  build on IMAGE from the local engine instead of the pinned base (no pull): a machine without
#                 Docker Hub names a stand-in with the same layout (docs/containers-and-pipelines.md)
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
from=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --from) from="${2:?--from needs an image}"; shift ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
cd "$REPO_ROOT"
image=$(backup_base_image)
[ -n "$image" ] || die "no <backup.base.image> in backup-jobs/pom.xml"
[ "$DRY_RUN" = true ] || require_command docker
if [ -n "$from" ]; then
  run docker build --build-arg "BASE_IMAGE=$from" --tag "$image" backup-jobs/src/main/docker/base
else
  run docker build --pull --tag "$image" backup-jobs/src/main/docker/base
fi
run docker run --rm --entrypoint pg_dump "$image" --version
image_id="sha256:$(printf '%064d' 0)"
[ "$DRY_RUN" = true ] || image_id=$(docker image inspect --format '{{.Id}}' "$image")
mkdir -p target
printf 'BACKUP_BASE_IMAGE=%s\nBACKUP_BASE_IMAGE_ID=%s\n' "$image" "$image_id" | tee target/backup-base.env >&2
echo "$image"
