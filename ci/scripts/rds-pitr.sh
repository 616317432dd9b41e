#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# RDS point-in-time restore into a NEW instance (the running database is never touched): from the instance's own
# automated backups (35 days, any second up to about 5 minutes ago), or, with --from-replicated-backups, from the
# copy prod replicates to the DR region (infra-terraform modules/database), for when prod's region or its stand-by
# replica holds the damage too. Prints the new instance's endpoint. Runbook: docs/runbooks/rds-point-in-time-restore.md.
# Usage: ci/scripts/rds-pitr.sh --env NAME --to 2026-12-04T09:59:00Z [--target-id ID] [--from-replicated-backups] [--dry-run]
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
env=""
to=""
target=""
replicated=false
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --env) env="${2:?--env needs a value}"; shift ;;
    --to) to="${2:?--to needs a value}"; shift ;;
    --target-id) target="${2:?--target-id needs a value}"; shift ;;
    --from-replicated-backups) replicated=true ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
require_environment "$env"
[[ "$to" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ ]] || die "--to must be a UTC time like 2026-12-04T09:59:00Z"
source_id="notejam-$env"
target="${target:-$source_id-pitr-$(echo "$to" | tr -d ':TZ-' | cut -c1-12)}"
[[ "$target" =~ ^[a-z][a-z0-9-]{2,62}$ ]] || die "--target-id '$target' is not an RDS identifier"
[ "$target" != "$source_id" ] || die "the restore goes to a new instance, never over $source_id"
region="$(env_region "$env")"
[ "$DRY_RUN" = true ] || require_command aws

ask() {
  local placeholder="$1"; shift
  echo "+ $*" >&2
  if [ "$DRY_RUN" = true ]; then echo "$placeholder"; else "$@"; fi
}

if [ "$replicated" = true ]; then
  # prod's backups replicated into its DR region: restore there (the DR region of prod is prod-dr's region).
  region="$(tfvars_value "$env" dr_region)"
  source_args=(--source-db-instance-automated-backups-arn "$(ask "arn:aws:rds:$region:111122223333:auto-backup:ab-example" \
    aws rds describe-db-instance-automated-backups --region "$region" --db-instance-identifier "$source_id" \
    --query 'DBInstanceAutomatedBackups[0].DBInstanceAutomatedBackupsArn' --output text)")
  subnet_group="notejam-$(basename "$(grep -l "^region *= *\"$region\"" "$REPO_ROOT"/environments/*/platform.tfvars | head -n 1 | xargs dirname)")"
else
  source_args=(--source-db-instance-identifier "$source_id")
  subnet_group="$source_id"
fi
# The restored instance gets the network and parameters of the region's own instance (subnet group, security group
# and parameter group all carry its identifier), deletion protection, and its own name.
security_group="$(ask sg-0123456789abcdef0 aws ec2 describe-security-groups --region "$region" \
  --filters "Name=group-name,Values=$subnet_group-rds" --query 'SecurityGroups[0].GroupId' --output text)"
run aws rds restore-db-instance-to-point-in-time --region "$region" "${source_args[@]}" \
  --target-db-instance-identifier "$target" --restore-time "$to" --db-subnet-group-name "$subnet_group" \
  --vpc-security-group-ids "$security_group" --db-parameter-group-name "$(ask "$subnet_group-postgres16" aws rds describe-db-instances \
  --region "$region" --db-instance-identifier "$subnet_group" --query 'DBInstances[0].DBParameterGroups[0].DBParameterGroupName' --output text)" \
  --multi-az --no-publicly-accessible --copy-tags-to-snapshot --deletion-protection
run aws rds wait db-instance-available --region "$region" --db-instance-identifier "$target"
run aws rds describe-db-instances --region "$region" --db-instance-identifier "$target" \
  --query 'DBInstances[0].[Endpoint.Address,Endpoint.Port,LatestRestorableTime]' --output text
