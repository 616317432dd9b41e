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
#   swap-prod-instance (failback) renames prod's old instance to notejam-prod-pre-failover and the failback replica to
#                     notejam-prod, then moves prod's Terraform state to it (state rm + import) and checks prod's plan
#   promote-failback  (failback) scales prod-dr's app to zero, waits for ReplicaLag 0, promotes notejam-prod
#   unfence-primary   (failback) gives prod's health check its path back once prod serves the current data
#   mark-standby      (failback) standby_promoted = false and the STAND-BY values again (the reverse of mark-promoted)
#   return-to-standby (failback) plans prod-dr replacing its database by a replica of prod, checks that the database
#                     is the only thing replaced, and applies that plan
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
  status|fence-primary|promote|mark-promoted|verify|failback-replica|swap-prod-instance|promote-failback|unfence-primary) ;;
  mark-standby|return-to-standby) ;;
  *) die "--step must be one of status, fence-primary, promote, mark-promoted, verify, failback-replica, swap-prod-instance, promote-failback, unfence-primary, mark-standby, return-to-standby" ;;
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

# Addresses of prod's and prod-dr's database in the state of infra-terraform/stacks/platform (module "database",
# count 0/1). infra-terraform's FailbackStateAddressesTest checks them against the stack's own state of prod and
# prod-dr: renaming the module or a resource there fails that test until these follow.
db_address='module.database[0].aws_db_instance.this'
backup_replication_address='module.database[0].aws_db_instance_automated_backups_replication.this[0]'
pre_failover_db="$primary_db-pre-failover"
stack=infra-terraform/stacks/platform

case "$step" in
  mark-promoted|mark-standby) ;;
  swap-prod-instance|return-to-standby) [ "$DRY_RUN" = true ] || require_command aws terraform jq ;;
  promote-failback) [ "$DRY_RUN" = true ] || require_command aws kubectl ;;
  *) [ "$DRY_RUN" = true ] || require_command aws curl ;;
esac

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

# A number of an environment's tfvars (first match), e.g. tfvars_number prod backup_retention_days
tfvars_number() { sed -n "s/^[[:space:]]*$2[[:space:]]*=[[:space:]]*\([0-9][0-9]*\).*/\1/p" "$REPO_ROOT/environments/$1/platform.tfvars" | head -n 1; }

# Waits until an instance answers under its (new) name and is available: right after a rename the old name answers
# for a while and the waiter of the new one fails at once with DBInstanceNotFound.
wait_available() {
  local region="$1" id="$2" status="" tries=0
  echo "+ aws rds describe-db-instances --region $region --db-instance-identifier $id (every 20 s until available, at most 40 min)" >&2
  [ "$DRY_RUN" = true ] && return 0
  while [ "$tries" -lt 120 ]; do
    status="$(aws rds describe-db-instances --region "$region" --db-instance-identifier "$id" \
      --query 'DBInstances[0].DBInstanceStatus' --output text 2>/dev/null || echo absent)"
    log "$id: $status"
    [ "$status" = available ] && return 0
    tries=$((tries + 1)); sleep 20
  done
  die "$id is not available after 40 minutes (last status: $status)"
}

# Terraform on one environment's remote state, as terraform-plan.sh/terraform-apply.sh initialise it (needs the
# apply role's credentials: state rm and import write the state).
tf_init() { run terraform -chdir="$stack" init -input=false -reconfigure "-backend-config=$REPO_ROOT/environments/$1/backend.hcl"; }

# Fails unless the plan deletes or replaces exactly the given addresses (none when called without any).
check_plan_replaces_only() {
  local plan="$1"; shift
  local expected actual
  expected="$(printf '%s\n' "$@" | sed '/^$/d' | sort)"
  echo "+ terraform -chdir=$stack show -json $plan | jq -r '.resource_changes[] | select(.change.actions | index(\"delete\")) | .address'" >&2
  [ "$DRY_RUN" = true ] && { log "dry run: the plan must delete or replace exactly: ${expected:-nothing}"; return 0; }
  actual="$(terraform -chdir="$stack" show -json "$plan" | jq -r '.resource_changes[]? | select(.change.actions | index("delete")) | .address' | sort)"
  [ "$actual" = "$expected" ] || die "the plan deletes or replaces [${actual//$'\n'/, }] but only [${expected//$'\n'/, }] may be: nothing applied"
  log "the plan deletes or replaces exactly: ${expected:-nothing}"
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
  swap-prod-instance)
    # prod is fenced and serves no one. Its old instance holds pre-failover data only: it is kept under another name
    # until the product owner has exported what they want from it, then deleted with a final snapshot.
    if [ "$DRY_RUN" != true ]; then
      source_id="$(aws rds describe-db-instances --region "$primary_region" --db-instance-identifier "$failback_id" \
        --query 'DBInstances[0].ReadReplicaSourceDBInstanceIdentifier' --output text)" || die "no $failback_id: run --step failback-replica first"
      [[ "$source_id" == *":db:$standby_db" ]] || die "$failback_id replicates '$source_id', not $standby_db"
      if aws rds describe-db-instances --region "$primary_region" --db-instance-identifier "$pre_failover_db" >/dev/null 2>&1; then
        die "$pre_failover_db exists already (an earlier failback): delete or rename it first"
      fi
    fi
    run aws rds modify-db-instance --region "$primary_region" --db-instance-identifier "$primary_db" \
      --new-db-instance-identifier "$pre_failover_db" --apply-immediately
    wait_available "$primary_region" "$pre_failover_db"
    run aws rds modify-db-instance --region "$primary_region" --db-instance-identifier "$failback_id" \
      --new-db-instance-identifier "$primary_db" --apply-immediately
    wait_available "$primary_region" "$primary_db"
    # prod's state follows the old instance by its resource ID: forget it and the replication of its automated backups,
    # then import the instance now called notejam-prod (prod's next apply starts the replication of its backups).
    tf_init prod
    forget=("$db_address")
    echo "+ terraform -chdir=$stack state list $db_address $backup_replication_address" >&2
    if [ "$DRY_RUN" = true ]; then
      forget+=("$backup_replication_address")
    else
      listed="$(terraform -chdir="$stack" state list "$db_address" "$backup_replication_address")"
      grep -qxF "$db_address" <<<"$listed" || die "prod's state has no $db_address: is this the stack of infra-terraform/stacks/platform?"
      if grep -qxF "$backup_replication_address" <<<"$listed"; then forget+=("$backup_replication_address"); fi
    fi
    run terraform -chdir="$stack" state rm -lock-timeout=5m "${forget[@]}"
    run terraform -chdir="$stack" import -input=false -lock-timeout=5m "-var-file=$REPO_ROOT/environments/prod/platform.tfvars" \
      "$db_address" "$primary_db"
    plan="$REPO_ROOT/target/terraform/prod-failback.tfplan"
    mkdir -p "$(dirname "$plan")"
    run terraform -chdir="$stack" plan -input=false -lock=false "-var-file=$REPO_ROOT/environments/prod/platform.tfvars" "-out=$plan"
    check_plan_replaces_only "$plan"
    log "prod's plan changes notejam-prod in place, including the end of its replication: apply prod only after --step promote-failback"
    ;;
  promote-failback)
    # Write freeze starts: prod-dr's app goes to zero pods (its HPA does not scale a Deployment up from zero).
    if [ "$DRY_RUN" != true ]; then
      source_id="$(aws rds describe-db-instances --region "$primary_region" --db-instance-identifier "$primary_db" \
        --query 'DBInstances[0].ReadReplicaSourceDBInstanceIdentifier' --output text)"
      [[ "$source_id" == *":db:$standby_db" ]] || die "$primary_db replicates '$source_id', not $standby_db: run --step swap-prod-instance first"
    fi
    use_cluster prod-dr
    run kubectl --context notejam-prod-dr --namespace "$NAMESPACE" scale deployment/notejam --replicas=0
    echo "+ kubectl --context notejam-prod-dr --namespace $NAMESPACE get deployment/notejam -o jsonpath={.status.replicas} (every 5 s until 0, at most 10 min)" >&2
    if [ "$DRY_RUN" != true ]; then
      for _ in $(seq 1 120); do
        pods="$(kubectl --context notejam-prod-dr --namespace "$NAMESPACE" get deployment/notejam -o 'jsonpath={.status.replicas}')"
        [ "${pods:-0}" = 0 ] && break
        sleep 5
      done
      [ "${pods:-0}" = 0 ] || die "prod-dr still runs $pods pods of notejam after 10 minutes"
    fi
    # No write reaches prod-dr any more: once notejam-prod's ReplicaLag reads 0 after this moment, it holds all of it.
    stopped="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    lag_query=(aws cloudwatch get-metric-statistics --region "$primary_region" --namespace AWS/RDS --metric-name ReplicaLag
      --dimensions "Name=DBInstanceIdentifier,Value=$primary_db" --statistics Maximum --period 60 --start-time "$stopped")
    echo "+ ${lag_query[*]} --end-time NOW --query 'sort_by(Datapoints, &Timestamp)[-1].Maximum' (every 30 s until 0, at most 15 min)" >&2
    if [ "$DRY_RUN" != true ]; then
      lag=None
      for _ in $(seq 1 30); do
        sleep 30
        lag="$("${lag_query[@]}" --end-time "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --query 'sort_by(Datapoints, &Timestamp)[-1].Maximum' --output text)"
        log "$primary_db ReplicaLag since $stopped: $lag s"
        [[ "$lag" =~ ^0(\.0+)?$ ]] && break
      done
      [[ "$lag" =~ ^0(\.0+)?$ ]] || die "$primary_db's ReplicaLag is $lag s after 15 minutes: not promoted"
    fi
    run aws rds promote-read-replica --region "$primary_region" --db-instance-identifier "$primary_db" \
      --backup-retention-period "$(tfvars_number prod backup_retention_days)"
    wait_available "$primary_region" "$primary_db"
    log "notejam-prod is writable: terraform-plan.sh and terraform-apply.sh for prod, deploy.sh prod, then unfence-primary and verify"
    ;;
  unfence-primary)
    set_health_path "$health_path"
    ;;
  mark-standby)
    # The reverse of mark-promoted, once prod is primary again: prod-dr's database becomes a replica of prod's and its
    # app runs no pod. The STAND-BY lines come back exactly as they were (load-tests StandbyModeTest: round trip).
    tfvars="$REPO_ROOT/environments/prod-dr/platform.tfvars"
    values="$REPO_ROOT/environments/prod-dr/notejam.values.yaml"
    grep -Eq '^[[:space:]]*standby_promoted[[:space:]]*=' "$tfvars" || die "$tfvars has no standby_promoted"
    run sed -i -E 's/^([[:space:]]*standby_promoted[[:space:]]*=[[:space:]]*)true/\1false/' "$tfvars"
    if ! grep -qx 'replicaCount: 0  # STAND-BY' "$values"; then
      run sed -i -E -e '/^migration:$/i replicaCount: 0  # STAND-BY' \
        -e '/^(migration|tests|autoscaling):$/{n;s/^(  enabled: )true$/\1false  # STAND-BY/}' "$values"
    else
      log "$values has its STAND-BY lines already"
    fi
    log "commit environments/prod-dr/platform.tfvars and notejam.values.yaml, then: --step return-to-standby"
    ;;
  return-to-standby)
    tfvars="$REPO_ROOT/environments/prod-dr/platform.tfvars"
    grep -Eq '^[[:space:]]*standby_promoted[[:space:]]*=[[:space:]]*false' "$tfvars" || die "standby_promoted is not false in $tfvars: run --step mark-standby first"
    # The instance's final snapshot is named <identifier>-final: one left by an earlier cycle would stop the delete.
    if [ "$DRY_RUN" != true ] && aws rds describe-db-snapshots --region "$dr_region" --db-snapshot-identifier "$standby_db-final" >/dev/null 2>&1; then
      die "snapshot $standby_db-final exists (an earlier cycle): copy it under another name and delete it first"
    fi
    tf_init prod-dr
    plan="$REPO_ROOT/target/terraform/prod-dr-standby.tfplan"
    mkdir -p "$(dirname "$plan")"
    # -replace: a promoted instance turns into a replica only by being built again; nothing else may be replaced.
    run terraform -chdir="$stack" plan -input=false -lock=false "-var-file=$tfvars" "-replace=$db_address" "-out=$plan"
    check_plan_replaces_only "$plan" "$db_address"
    # prod-dr's tfvars keep deletion protection on; the replica built by the plan gets it back.
    run aws rds modify-db-instance --region "$dr_region" --db-instance-identifier "$standby_db" --no-deletion-protection --apply-immediately
    wait_available "$dr_region" "$standby_db"
    run terraform -chdir="$stack" apply -input=false -lock-timeout=5m "$plan"
    log "prod-dr's database replicates notejam-prod again: deploy prod-dr (0 pods in stand-by), then --step status"
    ;;
esac
