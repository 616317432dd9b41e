#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Takes a pre-deploy backup before an environment is upgraded: a Job from the backup chart's suspended
# <release>-predeploy CronJob (same code as the scheduled backups), waited on until it succeeds or fails.
# The very first deploy of an environment has no CronJob yet and nothing to back up: that is reported and skipped.
# Usage: ci/scripts/predeploy-backup.sh --env NAME [--release notejam-backup] [--timeout-seconds 1800] [--dry-run]
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
env=""
release=notejam-backup
timeout_seconds=1800
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --env) env="${2:?--env needs a value}"; shift ;;
    --release) release="${2:?--release needs a value}"; shift ;;
    --timeout-seconds) timeout_seconds="${2:?--timeout-seconds needs a value}"; shift ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
require_environment "$env"
[ "$DRY_RUN" = true ] || require_command aws kubectl
use_cluster "$env"
cronjob="$release-predeploy"
job="$release-predeploy-$(git_revision | cut -c1-8)-$(date +%H%M%S)"
if [ "$DRY_RUN" != true ] && ! kubectl -n "$NAMESPACE" get "cronjob/$cronjob" >/dev/null 2>&1; then
  log "no cronjob/$cronjob in $env yet (first deploy): no pre-deploy backup taken"
  exit 0
fi
run kubectl -n "$NAMESPACE" create job "$job" "--from=cronjob/$cronjob"
[ "$DRY_RUN" = true ] && { log "dry run: would wait up to ${timeout_seconds}s for job/$job"; exit 0; }
deadline=$(( $(date +%s) + timeout_seconds ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  succeeded=$(kubectl -n "$NAMESPACE" get "job/$job" -o jsonpath='{.status.succeeded}')
  failed=$(kubectl -n "$NAMESPACE" get "job/$job" -o jsonpath='{.status.failed}')
  if [ "${succeeded:-0}" -ge 1 ]; then
    log "pre-deploy backup job/$job succeeded"
    kubectl -n "$NAMESPACE" logs "job/$job" --tail 20 || true
    exit 0
  fi
  if [ "${failed:-0}" -ge 1 ] && [ "$(kubectl -n "$NAMESPACE" get "job/$job" -o jsonpath='{.status.active}')" = "" ]; then
    kubectl -n "$NAMESPACE" logs "job/$job" --tail 50 || true
    die "pre-deploy backup job/$job failed: not deploying"
  fi
  sleep 10
done
die "pre-deploy backup job/$job did not finish within ${timeout_seconds}s"
