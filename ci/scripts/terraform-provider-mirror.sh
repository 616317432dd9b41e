#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# On a GitHub runner (registry reachable): downloads the providers of the platform stack's lock file, checked against
# its hashes, into a filesystem mirror, and exports TF_PLUGIN_MIRROR for the infra-terraform tests (which only read
# a mirror: on this machine ci/setup.d/30-terraform.sh finds the one already installed).
# Usage: ci/scripts/terraform-provider-mirror.sh [--dir DIR] [--dry-run]   (default DIR: $RUNNER_TEMP/tf-plugins)
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
dir="${RUNNER_TEMP:-$REPO_ROOT/target}/tf-plugins"
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --dir) dir="${2:?--dir needs a value}"; shift ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
cd "$REPO_ROOT"
[ "$DRY_RUN" = true ] || require_command terraform
stack=infra-terraform/stacks/platform
[ -f "$stack/.terraform.lock.hcl" ] || die "$stack/.terraform.lock.hcl is missing: the versions and hashes to mirror"
[ "$DRY_RUN" = true ] || mkdir -p "$dir"
# The stack's local modules must be installed for `providers mirror` to see every provider requirement.
run terraform -chdir="$stack" init -backend=false -input=false
run terraform -chdir="$stack" providers mirror -platform=linux_amd64 "$dir"
if [ -n "${GITHUB_ENV:-}" ] && [ "$DRY_RUN" != true ]; then echo "TF_PLUGIN_MIRROR=$dir" >>"$GITHUB_ENV"; fi
log "provider mirror: $dir (TF_PLUGIN_MIRROR)"
