#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Deploys one environment: the app and backup charts with that environment's values, pinned to image digests,
# with `helm upgrade --install --atomic --wait` (a failed rollout rolls itself back). dev also gets its
# in-cluster PostgreSQL and Redis charts first. Images come from the ECR registry of the environment's region
# (the registry replicates to the DR region), so prod-dr runs the very same digests.
# Usage: ci/scripts/deploy.sh --env NAME --app-digest sha256:... --backup-digest sha256:... [--timeout 15m] [--dry-run]
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
env=""
app_digest=""
backup_digest=""
timeout=15m
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --env) env="${2:?--env needs a value}"; shift ;;
    --app-digest) app_digest="${2:?--app-digest needs a value}"; shift ;;
    --backup-digest) backup_digest="${2:?--backup-digest needs a value}"; shift ;;
    --timeout) timeout="${2:?--timeout needs a value}"; shift ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
require_environment "$env"
require_digest "$app_digest"
require_digest "$backup_digest"
cd "$REPO_ROOT"
[ "$DRY_RUN" = true ] || require_command aws helm kubectl
region=$(env_region "$env")
registry=$(ecr_registry)
# same account, the environment's region: <account>.dkr.ecr.<region>.amazonaws.com
registry="${registry/.dkr.ecr.*.amazonaws.com/.dkr.ecr.$region.amazonaws.com}"
use_cluster "$env"

common=(--namespace "$NAMESPACE" --create-namespace --atomic --wait --timeout "$timeout" --history-max 20)
if [ "$env" = dev ]; then
  run helm upgrade --install postgres-dev helm-charts/charts/postgres-dev "${common[@]}"
  run helm upgrade --install redis-dev helm-charts/charts/redis-dev "${common[@]}"
fi
run helm upgrade --install notejam helm-charts/charts/notejam "${common[@]}" \
  -f "environments/$env/notejam.values.yaml" \
  --set-string "image.registry=$registry" --set-string "image.digest=$app_digest"
run helm upgrade --install notejam-backup helm-charts/charts/notejam-backup "${common[@]}" \
  -f "environments/$env/backup.values.yaml" \
  --set-string "image.registry=$registry" --set-string "image.digest=$backup_digest"
log "$env runs notejam-app@$app_digest and notejam-backup@$backup_digest from $registry"
