#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Deploys one environment: the app and backup charts with that environment's values, pinned to image digests,
# with `helm upgrade --install --atomic --wait` (a failed rollout rolls itself back). dev also gets its
# in-cluster PostgreSQL and Redis charts first. Images come from the ECR registry of the environment's region
# (the registry replicates to the DR region), so prod-dr runs the very same digests.
# One contract from Terraform to Helm: every value naming infrastructure comes from the stack's output helm_values
# (`terraform output -json`), written per chart to <values-dir>/<chart>.values-from-terraform.json and passed
# with -f after environments/<env>/<chart>.values.yaml, which holds application settings only.
# --terraform-outputs FILE takes that JSON from a file instead of the environment's remote state (the contract test
# passes the outputs of a mocked run; an operator may pass a saved `terraform output -json`).
# Usage: ci/scripts/deploy.sh --env NAME --app-digest sha256:... --backup-digest sha256:... [--timeout 15m]
#          [--terraform-outputs FILE] [--values-dir DIR] [--dry-run]
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
env=""
app_digest=""
backup_digest=""
timeout=15m
outputs_file=""
values_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --env) env="${2:?--env needs a value}"; shift ;;
    --app-digest) app_digest="${2:?--app-digest needs a value}"; shift ;;
    --backup-digest) backup_digest="${2:?--backup-digest needs a value}"; shift ;;
    --timeout) timeout="${2:?--timeout needs a value}"; shift ;;
    --terraform-outputs) outputs_file="${2:?--terraform-outputs needs a file}"; shift ;;
    --values-dir) values_dir="${2:?--values-dir needs a directory}"; shift ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
require_environment "$env"
require_digest "$app_digest"
require_digest "$backup_digest"
cd "$REPO_ROOT"
[ "$DRY_RUN" = true ] || require_command aws helm kubectl terraform jq
[ -z "$outputs_file" ] || [ -f "$outputs_file" ] || die "--terraform-outputs: no file $outputs_file"
values_dir="${values_dir:-$REPO_ROOT/target/deploy/$env}"
region=$(env_region "$env")
registry=$(ecr_registry)
# same account, the environment's region: <account>.dkr.ecr.<region>.amazonaws.com
registry="${registry/.dkr.ecr.*.amazonaws.com/.dkr.ecr.$region.amazonaws.com}"
use_cluster "$env"

# The stack's outputs: from the given file, or read from the environment's remote state.
stack=infra-terraform/stacks/platform
if [ -z "$outputs_file" ]; then
  outputs_file="$values_dir/terraform-outputs.json"
  run terraform -chdir="$stack" init -input=false -reconfigure "-backend-config=$REPO_ROOT/environments/$env/backend.hcl"
  echo "+ terraform -chdir=$stack output -json > $outputs_file" >&2
  if [ "$DRY_RUN" != true ]; then
    mkdir -p "$values_dir"
    terraform -chdir="$stack" output -json >"$outputs_file"
  fi
fi
# helm_values.<chart> of the outputs, as a values file (JSON is YAML).
terraform_values() {
  local chart="$1" file="$values_dir/$1.values-from-terraform.json"
  if [ -f "$outputs_file" ]; then
    require_command jq
    mkdir -p "$values_dir"
    jq -e --arg chart "$chart" '.helm_values.value[$chart] // error("terraform output helm_values has no \($chart)")' \
      "$outputs_file" >"$file" || die "no helm_values.$chart in $outputs_file (apply the stack first)"
  fi
  echo "$file"
}
app_values=$(terraform_values notejam)
backup_values=$(terraform_values notejam-backup)

common=(--namespace "$NAMESPACE" --create-namespace --atomic --wait --timeout "$timeout" --history-max 20)
if [ "$env" = dev ]; then
  run helm upgrade --install postgres-dev helm-charts/charts/postgres-dev "${common[@]}"
  run helm upgrade --install redis-dev helm-charts/charts/redis-dev "${common[@]}"
fi
run helm upgrade --install notejam helm-charts/charts/notejam "${common[@]}" \
  -f "environments/$env/notejam.values.yaml" -f "$app_values" \
  --set-string "image.registry=$registry" --set-string "image.digest=$app_digest" \
  --set-string "databaseRoles.image.digest=$backup_digest"
run helm upgrade --install notejam-backup helm-charts/charts/notejam-backup "${common[@]}" \
  -f "environments/$env/backup.values.yaml" -f "$backup_values" \
  --set-string "image.registry=$registry" --set-string "image.digest=$backup_digest"
log "$env runs notejam-app@$app_digest and notejam-backup@$backup_digest from $registry"
