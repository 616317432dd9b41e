#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Pull-request stage: terraform fmt -check, validate and test for every module and the platform stack.
# Usage: ci/scripts/terraform-check.sh [--dry-run]
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
[ "$DRY_RUN" = true ] || require_command terraform
run terraform fmt -check -recursive infra-terraform
for dir in infra-terraform/modules/*/ infra-terraform/stacks/*/; do
  dir="${dir%/}"
  run terraform -chdir="$dir" init -backend=false -input=false
  run terraform -chdir="$dir" validate
  if [ -d "$dir/tests" ]; then
    run terraform -chdir="$dir" test
  fi
done
