#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Runs one notejam-backup command (backup-jobs CLI: list, verify, restore ...) in an environment's cluster as a
# one-off Job cut from the backup chart's verify CronJob: same image, service account, secrets and network policy,
# other arguments (what docs/runbooks/backup-and-restore.md's backup_cli does by hand). Waits, then prints the logs.
# Usage: ci/scripts/backup-job.sh --env NAME --name SHORT [--database-url JDBC] [--wait DURATION] [--dry-run] -- ARG...
#   --database-url  BACKUP_DATABASE_URL for this run only (e.g. a restore into a new, empty instance)
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
env=""
name=""
database_url=""
wait_for=2h
release=notejam-backup
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --env) env="${2:?--env needs a value}"; shift ;;
    --name) name="${2:?--name needs a value}"; shift ;;
    --database-url) database_url="${2:?--database-url needs a value}"; shift ;;
    --wait) wait_for="${2:?--wait needs a value}"; shift ;;
    --) shift; break ;;
    *) die "unknown argument $1 (the CLI's arguments go after --)" ;;
  esac
  shift
done
require_environment "$env"
[[ "$name" =~ ^[a-z][a-z0-9-]{0,20}$ ]] || die "--name must be 1-21 lowercase letters, digits or hyphens"
[ $# -gt 0 ] || die "no notejam-backup arguments after --"
case "$1" in list|verify|restore|backup) ;; *) die "'$1' is not a notejam-backup command (list, verify, restore, backup)" ;; esac
if [ -n "$database_url" ] && [[ ! "$database_url" =~ ^jdbc:postgresql://[a-z0-9.-]+(:[0-9]+)?/[a-z0-9_]+(\?.*)?$ ]]; then
  die "--database-url '$database_url' is not a jdbc:postgresql URL"
fi
[[ "$wait_for" =~ ^[0-9]+[smh]$ ]] || die "--wait must look like 90s, 30m or 2h"
[ "$DRY_RUN" = true ] || require_command aws kubectl jq
use_cluster "$env"
job="$release-$name-$(date -u +%H%M%S)"
# The CLI's arguments and the extra variable as JSON for the Job's container (no quoting left to the shell).
if command -v jq >/dev/null 2>&1; then
  args_json="$(printf '%s\n' "$@" | jq -R . | jq -cs .)"
  env_json="[]"
  [ -z "$database_url" ] || env_json="$(jq -cn --arg url "$database_url" '[{name: "BACKUP_DATABASE_URL", value: $url}]')"
else
  args_json="$*"
  env_json="${database_url:+BACKUP_DATABASE_URL=$database_url}"
fi
echo "+ kubectl -n $NAMESPACE create job $job --from=cronjob/$release-verify --dry-run=client -o json | jq (args $args_json, env $env_json) | kubectl apply -f -" >&2
if [ "$DRY_RUN" != true ]; then
  kubectl -n "$NAMESPACE" create job "$job" --from="cronjob/$release-verify" --dry-run=client -o json \
    | jq --argjson args "$args_json" --argjson env "$env_json" \
        '.spec.template.spec.containers[0].args = $args | .spec.template.spec.containers[0].env += $env' \
    | kubectl apply -f -
fi
status=0
run kubectl -n "$NAMESPACE" wait --for=condition=complete --timeout="$wait_for" "job/$job" || status=$?
run kubectl -n "$NAMESPACE" logs "job/$job" --all-containers
exit "$status"
