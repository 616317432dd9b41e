#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Regional failover from prod to prod-dr, and failback (R4). Runbooks: docs/runbooks/failover-to-prod-dr.md and
# docs/runbooks/failback-to-prod.md; design and figures: docs/disaster-recovery.md. One step per call, each printed
# before it runs; --dry-run prints only. Everything it needs is read from environments/{prod,prod-dr}/platform.tfvars
# and from Route 53 and RDS themselves, never from prod's Terraform state (its bucket is in the lost region).
#   status            Route 53 health of both regions, the stand-by database's state and replica lag
#   fence-primary     prod's health check requests a path no Ingress serves: a recovering prod region can never take
#                     traffic back with its stale database (Route 53 is global, so this works while prod is down)
#   promote           promotes prod-dr's read replica to a standalone, writable database and waits until available
#   mark-promoted     sets standby_promoted = true in prod-dr's platform.tfvars (commit it; then plan, apply, deploy)
#   verify            prod-dr's own name and the public name answer the health-check path with 200
#   failback-replica  (failback) creates prod's next database as a cross-region read replica of prod-dr's
#   unfence-primary   (failback) gives prod's health check its path back once prod serves the current data
# Usage: ci/scripts/dr-failover.sh --step NAME [--failback-id IDENTIFIER] [--dry-run]
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
step=""
failback_id="notejam-prod-failback"
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --step) step="${2:?--step needs a value}"; shift ;;
    --failback-id) failback_id="${2:?--failback-id needs a value}"; shift ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
case "$step" in
  status|fence-primary|promote|mark-promoted|verify|failback-replica|unfence-primary) ;;
  *) die "--step must be one of status, fence-primary, promote, mark-promoted, verify, failback-replica, unfence-primary" ;;
esac
[[ "$failback_id" =~ ^[a-z][a-z0-9-]{2,50}$ ]] || die "--failback-id '$failback_id' is not an RDS identifier"

# A value of the dns block (indented) of an environment's tfvars.
dns_value() { sed -n "s/^[[:space:]]*$2[[:space:]]*=[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p" "$REPO_ROOT/environments/$1/platform.tfvars" | head -n 1; }

primary_region="$(env_region prod)"
dr_region="$(env_region prod-dr)"
zone="$(dns_value prod zone_name)"
host="$(dns_value prod host_name)"
[ "$host" = "$(dns_value prod-dr host_name)" ] || die "prod and prod-dr must share one host name (found '$host' and '$(dns_value prod-dr host_name)')"
if [ -z "$primary_region" ] || [ -z "$dr_region" ] || [ -z "$zone" ]; then die "region or zone missing in environments/*/platform.tfvars"; fi
primary_db="notejam-prod"
standby_db="notejam-prod-dr"
# The paths the health checks request (modules/edge health_check_path) and the one that fences prod.
health_path="/signin/"
fenced_path="/failed-over-to-prod-dr/"

[ "$DRY_RUN" = true ] || [ "$step" = mark-promoted ] || require_command aws curl

# Answers of AWS read before a change; in a dry run a placeholder keeps the printed commands readable.
ask() {
  local placeholder="$1"; shift
  echo "+ $*" >&2
  if [ "$DRY_RUN" = true ]; then echo "$placeholder"; else "$@"; fi
}

zone_id() {
  ask Z0123456789EXAMPLE aws route53 list-hosted-zones-by-name --dns-name "$zone" --max-items 1 \
    --query "HostedZones[?Name=='$zone.'].Id | [0]" --output text | sed 's:^/hostedzone/::'
}

# The health check of the PRIMARY or SECONDARY failover record of the public name.
health_check_of() {
  ask "00000000-0000-0000-0000-00000000000${2:0:1}" aws route53 list-resource-record-sets --hosted-zone-id "$1" \
    --query "ResourceRecordSets[?Name=='$host.' && Failover=='$2'].HealthCheckId | [0]" --output text
}

set_health_path() {
  local zid check
  zid="$(zone_id)"
  check="$(health_check_of "$zid" PRIMARY)"
  if [ -z "$check" ] || [ "$check" = None ]; then die "no PRIMARY failover record with a health check for $host"; fi
  run aws route53 update-health-check --health-check-id "$check" --resource-path "$1"
}

case "$step" in
  status)
    zid="$(zone_id)"
    for role in PRIMARY SECONDARY; do
      check="$(health_check_of "$zid" "$role")"
      log "$role health check $check:"
      run aws route53 get-health-check --health-check-id "$check" --query 'HealthCheck.HealthCheckConfig.[FullyQualifiedDomainName,ResourcePath]' --output text
      run aws route53 get-health-check-status --health-check-id "$check" --query 'HealthCheckObservations[].StatusReport.Status' --output text
    done
    run aws rds describe-db-instances --region "$dr_region" --db-instance-identifier "$standby_db" \
      --query 'DBInstances[0].[DBInstanceStatus,ReadReplicaSourceDBInstanceIdentifier,StatusInfos]' --output json
    # ReplicaLag in seconds over the last 10 minutes: the RPO a promotion now would give.
    run aws cloudwatch get-metric-statistics --region "$dr_region" --namespace AWS/RDS --metric-name ReplicaLag \
      --dimensions "Name=DBInstanceIdentifier,Value=$standby_db" --statistics Maximum --period 60 \
      --start-time "$(date -u -d '-10 min' +%Y-%m-%dT%H:%M:%SZ)" --end-time "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --output text
    ;;
  fence-primary)
    set_health_path "$fenced_path"
    ;;
  promote)
    # One call in the DR region: no Terraform, no state, nothing in the lost region needed.
    run aws rds promote-read-replica --region "$dr_region" --db-instance-identifier "$standby_db" --backup-retention-period 35
    run aws rds wait db-instance-available --region "$dr_region" --db-instance-identifier "$standby_db"
    run aws rds describe-db-instances --region "$dr_region" --db-instance-identifier "$standby_db" \
      --query 'DBInstances[0].[DBInstanceStatus,ReadReplicaSourceDBInstanceIdentifier]' --output text
    ;;
  mark-promoted)
    # The database and the app leave stand-by together: Terraform stops replicating, the values run the app again.
    tfvars="$REPO_ROOT/environments/prod-dr/platform.tfvars"
    values="$REPO_ROOT/environments/prod-dr/notejam.values.yaml"
    grep -Eq '^[[:space:]]*standby_promoted[[:space:]]*=' "$tfvars" || die "$tfvars has no standby_promoted"
    run sed -i -E 's/^([[:space:]]*standby_promoted[[:space:]]*=[[:space:]]*)false/\1true/' "$tfvars"
    run sed -i -E -e '/^replicaCount: 0  # STAND-BY$/d' -e 's/^([[:space:]]*enabled: )false  # STAND-BY$/\1true/' "$values"
    log "commit environments/prod-dr/platform.tfvars and notejam.values.yaml, then: terraform-plan.sh, terraform-apply.sh and deploy.sh for prod-dr"
    ;;
  verify)
    for name in "$dr_region.$zone" "$host"; do
      run curl -fsS -o /dev/null -w "$name$health_path %{http_code} in %{time_total} s\n" --max-time 10 "https://$name$health_path"
    done
    run aws route53 test-dns-answer --hosted-zone-id "$(zone_id)" --record-name "$host" --record-type A
    ;;
  failback-replica)
    # prod's old instance holds data from before the failover: it is kept (renamed by the runbook), never synced back.
    source_arn="$(ask "arn:aws:rds:$dr_region:111122223333:db:$standby_db" aws rds describe-db-instances --region "$dr_region" \
      --db-instance-identifier "$standby_db" --query 'DBInstances[0].DBInstanceArn' --output text)"
    kms_key="$(ask "arn:aws:kms:$primary_region:111122223333:key/00000000-0000-0000-0000-000000000000" aws kms describe-key \
      --region "$primary_region" --key-id "alias/$primary_db-rds" --query 'KeyMetadata.Arn' --output text)"
    run aws rds create-db-instance-read-replica --region "$primary_region" --db-instance-identifier "$failback_id" \
      --source-db-instance-identifier "$source_arn" --kms-key-id "$kms_key" --db-subnet-group-name "$primary_db" \
      --multi-az --no-publicly-accessible --copy-tags-to-snapshot
    run aws rds wait db-instance-available --region "$primary_region" --db-instance-identifier "$failback_id"
    ;;
  unfence-primary)
    set_health_path "$health_path"
    ;;
esac
