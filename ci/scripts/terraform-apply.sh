#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Applies one environment's platform stack after the approval gate.
# Usage: ci/scripts/terraform-apply.sh --env NAME (--plan FILE | --reviewed-plan-sha256 HEX) [--dry-run]
#   --plan FILE                 apply a plan file made on this machine (an operator's own terraform-plan.sh run)
#   --reviewed-plan-sha256 HEX  the pipeline: plan again here (the plan file is never carried between jobs, it holds
#                               secrets), and apply only when `terraform show` of it has the digest that was
#                               reviewed (terraform-plan.sh's plan_sha256); a state or code change since then stops it
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
env=""
plan_file=""
reviewed=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --env) env="${2:?--env needs a value}"; shift ;;
    --plan) plan_file="${2:?--plan needs a value}"; shift ;;
    --reviewed-plan-sha256) reviewed="${2:?--reviewed-plan-sha256 needs a value}"; shift ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
require_environment "$env"
if [ -z "$plan_file" ] && [ -z "$reviewed" ]; then die "--plan is required (or --reviewed-plan-sha256 in the pipeline)"; fi
if [ -n "$plan_file" ] && [ -n "$reviewed" ]; then die "give --plan or --reviewed-plan-sha256, not both"; fi
if [ -n "$reviewed" ] && [[ ! "$reviewed" =~ ^[0-9a-f]{64}$ ]]; then die "--reviewed-plan-sha256 '$reviewed' is not a sha256"; fi
cd "$REPO_ROOT"
stack=infra-terraform/stacks/platform
if [ "$DRY_RUN" != true ]; then
  require_command terraform sha256sum
  [ -z "$plan_file" ] || [ -s "$plan_file" ] || die "plan file $plan_file is missing"
fi
run terraform -chdir="$stack" init -input=false -reconfigure "-backend-config=$REPO_ROOT/environments/$env/backend.hcl"
if [ -n "$reviewed" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  plan_file="$work/$env.tfplan"
  run terraform -chdir="$stack" plan -input=false -lock-timeout=5m "-var-file=$REPO_ROOT/environments/$env/platform.tfvars" \
    "-out=$plan_file"
  run terraform -chdir="$stack" show -no-color "$plan_file"
  if [ "$DRY_RUN" != true ]; then
    terraform -chdir="$stack" show -no-color "$plan_file" >"$work/shown.txt"
    actual=$(sha256sum "$work/shown.txt" | cut -d' ' -f1)
    if [ "$actual" != "$reviewed" ]; then
      cat "$work/shown.txt" >&2
      die "this plan (sha256 $actual) is not the reviewed one ($reviewed): the state or the code moved; run the workflow again"
    fi
    log "the plan is the reviewed one (sha256 $actual)"
  fi
fi
# A saved plan applies exactly what was planned; terraform refuses it if the state moved since.
run terraform -chdir="$stack" apply -input=false -lock-timeout=5m "$plan_file"
