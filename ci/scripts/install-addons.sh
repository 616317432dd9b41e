#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Installs an environment's cluster add-on layer (the Helm half; Terraform applies the EKS add-ons) before every
# deploy.sh in main.yml, so whatever the charts rely on (metrics for the HPA, load balancer controller, external
# secrets, ...) is in place, pinned as the stack says. The one implementation is
# infra-terraform/cluster-addons/install.sh, which reads the stack's addon_layer output from the environment's remote
# state (terraform init with environments/<env>/backend.hcl, then `terraform output -json addon_layer`).
# Usage: ci/scripts/install-addons.sh --env NAME [--terraform-outputs FILE] [--dry-run]
#   --terraform-outputs FILE  addon_layer from a saved `terraform output -json` instead of the remote state. In a dry
#                             run, target/deploy/<env>/terraform-outputs.json is used when present: the rehearsal
#                             puts the mocked stack's outputs there, so the releases are played with their values.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
env=""
outputs_file=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --env) env="${2:?--env needs a value}"; shift ;;
    --terraform-outputs) outputs_file="${2:?--terraform-outputs needs a file}"; shift ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
require_environment "$env"
cd "$REPO_ROOT"
[ "$DRY_RUN" = true ] || require_command aws helm terraform jq
[ -z "$outputs_file" ] || [ -f "$outputs_file" ] || die "--terraform-outputs: no file $outputs_file"
stand_in="$REPO_ROOT/target/deploy/$env/terraform-outputs.json"
if [ -z "$outputs_file" ] && [ "$DRY_RUN" = true ] && [ -f "$stand_in" ]; then outputs_file="$stand_in"; fi

install=(infra-terraform/cluster-addons/install.sh --env "$env")
[ "$DRY_RUN" != true ] || install+=(--dry-run)
if [ -n "$outputs_file" ]; then
  require_command jq
  if [ "$DRY_RUN" = true ]; then
    echo "+ terraform -chdir=infra-terraform/stacks/platform init -input=false -reconfigure -backend-config=$REPO_ROOT/environments/$env/backend.hcl" >&2
    echo "+ terraform -chdir=infra-terraform/stacks/platform output -json addon_layer   (stand-in: .addon_layer.value of $outputs_file)" >&2
  fi
  layer="$REPO_ROOT/target/deploy/$env/addon-layer.json"
  mkdir -p "$(dirname "$layer")"
  jq -e '.addon_layer.value // error("terraform output addon_layer is missing")' "$outputs_file" >"$layer" \
    || die "no addon_layer in $outputs_file (apply the stack first)"
  install+=(--layer "$layer")
  log "$env: add-on layer of cluster $(jq -r '.cluster_name' "$layer") ($(jq -r '.helm_releases | length' "$layer") Helm releases)"
fi
# install.sh prints its commands (DRY-RUN: ...) in a dry run and runs them otherwise.
echo "+ ${install[*]}" >&2
"${install[@]}"
