#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Rolls a release of one environment back to an earlier Helm revision (default: the previous one) and waits.
# Schema migrations are expand/contract, so the previous app version runs against the current schema.
# Usage: ci/scripts/rollback.sh --env NAME [--release notejam|notejam-backup] [--revision N] [--dry-run]
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
env=""
release=notejam
revision=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --env) env="${2:?--env needs a value}"; shift ;;
    --release) release="${2:?--release needs a value}"; shift ;;
    --revision) revision="${2:?--revision needs a value}"; shift ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
require_environment "$env"
case "$release" in notejam|notejam-backup) ;; *) die "unknown release '$release' (notejam or notejam-backup)" ;; esac
if [ -n "$revision" ] && ! [[ "$revision" =~ ^[0-9]+$ ]]; then die "--revision must be a number"; fi
[ "$DRY_RUN" = true ] || require_command aws helm
use_cluster "$env"
run helm history "$release" --namespace "$NAMESPACE" --max 10
# helm rollback with no revision goes to the previous one
run helm rollback "$release" ${revision:+"$revision"} --namespace "$NAMESPACE" --wait --timeout 10m --cleanup-on-fail
run helm status "$release" --namespace "$NAMESPACE"
