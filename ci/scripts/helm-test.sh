#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Runs the charts' test hooks (helm test) against a deployed environment and prints their logs.
# Usage: ci/scripts/helm-test.sh --env NAME [--dry-run]
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
env=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --env) env="${2:?--env needs a value}"; shift ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
require_environment "$env"
[ "$DRY_RUN" = true ] || require_command aws helm
use_cluster "$env"
for release in notejam notejam-backup; do
  run helm test "$release" --namespace "$NAMESPACE" --logs --timeout 5m
done
