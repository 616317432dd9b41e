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
# The registry the images job pushed to decides the source region: the DR job's AWS_REGION must not.
registry=$(ecr_registry)
home_region=$(ecr_registry_region "$registry")
[ -n "$home_region" ] || die "ECR_REGISTRY '$registry' is not an ECR registry host (<account>.dkr.ecr.<region>.amazonaws.com)"
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
    # ECR replication is asynchronous: wait (at most 15 minutes) until the target region has the same digest.
    local lookup=(aws ecr describe-images --region "$target_region" --repository-name "$repository" --image-ids "imageDigest=$digest")
    echo "+ ${lookup[*]} (every 10s, at most 15 min)" >&2
    if [ "$DRY_RUN" != true ]; then
      local deadline=$(( $(date +%s) + 900 ))
      until "${lookup[@]}" >/dev/null 2>&1; do
        [ "$(date +%s)" -lt "$deadline" ] || die "$repository@$digest has not replicated to $target_region within 15 minutes"
        sleep 10
      done
      log "$repository@$digest is in $target_region"
    fi
  fi
}
promote notejam-app "$app_digest"
promote notejam-backup "$backup_digest"
