#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Installs what the tests need on a fresh machine: every ci/setup.d step in order, as .ci/run does first.
# Each step is idempotent. Usage: ci/scripts/setup-tools.sh [--dry-run]
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
steps=(ci/setup.d/*.sh)
[ -e "${steps[0]}" ] || die "no ci/setup.d/*.sh steps"
for step in "${steps[@]}"; do
  run bash "$step"
done
