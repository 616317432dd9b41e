#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Pull-request stage 1: the README's test command, every module's tests.
# Usage: ci/scripts/verify.sh [--dry-run] [-- extra Maven arguments]
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --) shift; extra=("$@"); break ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
cd "$REPO_ROOT"
run ./mvnw -B -ntp verify "${extra[@]}"
