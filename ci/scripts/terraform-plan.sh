#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Plans the platform stack for one environment against its remote state (read-only role via OIDC).
# Usage: ci/scripts/terraform-plan.sh --env NAME [--out FILE] [--dry-run]
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
env=""
plan_file=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --env) env="${2:?--env needs a value}"; shift ;;
    --out) plan_file="${2:?--out needs a value}"; shift ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
require_environment "$env"
cd "$REPO_ROOT"
[ "$DRY_RUN" = true ] || require_command terraform
stack=infra-terraform/stacks/platform
plan_file="${plan_file:-$REPO_ROOT/target/terraform/$env.tfplan}"
mkdir -p "$(dirname "$plan_file")"
run terraform -chdir="$stack" init -input=false -reconfigure "-backend-config=$REPO_ROOT/environments/$env/backend.hcl"
run terraform -chdir="$stack" plan -input=false -lock-timeout=5m "-var-file=$REPO_ROOT/environments/$env/platform.tfvars" \
  "-out=$plan_file"
log "plan for $env written to $plan_file"
