#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Applies a reviewed plan file for one environment (the workflow's approval gate sits before this step).
# Usage: ci/scripts/terraform-apply.sh --env NAME --plan FILE [--dry-run]
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
env=""
plan_file=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --env) env="${2:?--env needs a value}"; shift ;;
    --plan) plan_file="${2:?--plan needs a value}"; shift ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
require_environment "$env"
[ -n "$plan_file" ] || die "--plan is required (the file written by terraform-plan.sh)"
cd "$REPO_ROOT"
if [ "$DRY_RUN" != true ]; then
  require_command terraform
  [ -s "$plan_file" ] || die "plan file $plan_file is missing"
fi
stack=infra-terraform/stacks/platform
run terraform -chdir="$stack" init -input=false -reconfigure "-backend-config=$REPO_ROOT/environments/$env/backend.hcl"
# A saved plan applies exactly what was reviewed; terraform refuses it if the state moved since.
run terraform -chdir="$stack" apply -input=false -lock-timeout=5m "$plan_file"
