#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Promotes the exact image digests that passed the previous stage to the next environment: nothing is rebuilt.
# Adds an immutable tag promoted-<env>-<git sha> to each digest in ECR (a record of what went where) and,
# for an environment in another region, waits until ECR replication has the digests there.
# Usage: ci/scripts/promote-image.sh --env NAME --app-digest sha256:... --backup-digest sha256:... [--dry-run]
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
env=""
app_digest=""
backup_digest=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --env) env="${2:?--env needs a value}"; shift ;;
    --app-digest) app_digest="${2:?--app-digest needs a value}"; shift ;;
    --backup-digest) backup_digest="${2:?--backup-digest needs a value}"; shift ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
require_environment "$env"
require_digest "$app_digest"
require_digest "$backup_digest"
[ "$DRY_RUN" = true ] || require_command aws
home_region="${AWS_REGION:-$(env_region dev)}"
target_region=$(env_region "$env")
tag="promoted-$env-$(git_revision)"

promote() {
  local repository="$1" digest="$2" manifest existing
  if [ "$DRY_RUN" = true ]; then
    run aws ecr batch-get-image --region "$home_region" --repository-name "$repository" --image-ids "imageDigest=$digest"
    run aws ecr put-image --region "$home_region" --repository-name "$repository" --image-tag "$tag" --image-manifest "<manifest>"
  else
    existing=$(aws ecr describe-images --region "$home_region" --repository-name "$repository" \
      --image-ids "imageTag=$tag" --query 'imageDetails[0].imageDigest' --output text 2>/dev/null || true)
    if [ "$existing" = "$digest" ]; then
      log "$repository@$digest already tagged $tag"
    else
      manifest=$(aws ecr batch-get-image --region "$home_region" --repository-name "$repository" \
        --image-ids "imageDigest=$digest" --query 'images[0].imageManifest' --output text)
      if [ -z "$manifest" ] || [ "$manifest" = None ]; then die "$repository@$digest is not in ECR ($home_region)"; fi
      aws ecr put-image --region "$home_region" --repository-name "$repository" --image-tag "$tag" \
        --image-manifest "$manifest" >/dev/null
      log "$repository@$digest tagged $tag"
    fi
  fi
  if [ "$target_region" != "$home_region" ]; then
    run aws ecr wait image-scan-complete --region "$target_region" --repository-name "$repository" \
      --image-id "imageDigest=$digest" || true
    run aws ecr describe-images --region "$target_region" --repository-name "$repository" --image-ids "imageDigest=$digest"
  fi
}
promote notejam-app "$app_digest"
promote notejam-backup "$backup_digest"
