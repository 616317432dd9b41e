#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Plans the platform stack for one environment against its remote state with the read-only role (OIDC).
# Read-only means no state lock either: -lock=false, so the role needs no write on the state bucket (use_lockfile
# would write a .tflock object there). A plan file holds secrets in clear: it stays on this runner, never an artifact.
# Prints the plan (`terraform show`, sensitive values redacted) and its sha256, which terraform-apply.sh compares
# with the plan it applies; on GitHub the text goes to the run summary and the digest to the step output plan_sha256.
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
[ "$DRY_RUN" = true ] || require_command terraform sha256sum
stack=infra-terraform/stacks/platform
plan_file="${plan_file:-$REPO_ROOT/target/terraform/$env.tfplan}"
mkdir -p "$(dirname "$plan_file")"
run terraform -chdir="$stack" init -input=false -reconfigure "-backend-config=$REPO_ROOT/environments/$env/backend.hcl"
run terraform -chdir="$stack" plan -input=false -lock=false "-var-file=$REPO_ROOT/environments/$env/platform.tfvars" \
  "-out=$plan_file"
run terraform -chdir="$stack" show -no-color "$plan_file"
if [ "$DRY_RUN" = true ]; then
  log "dry run: then sha256 of that text -> plan_sha256"
  exit 0
fi
shown="$plan_file.txt"
terraform -chdir="$stack" show -no-color "$plan_file" >"$shown"
digest=$(sha256sum "$shown" | cut -d' ' -f1)
log "plan for $env written to $plan_file; reviewed plan sha256 $digest"
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "plan_sha256=$digest" >>"$GITHUB_OUTPUT"; fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  { echo "### terraform plan: $env (sha256 $digest)"; echo '```'; head -c 900000 "$shown"; echo '```'; } >>"$GITHUB_STEP_SUMMARY"
fi
