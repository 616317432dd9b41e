#!/usr/bin/env bash
# Installs the Helm half of an environment's cluster add-on layer, in order, from the stack's `addon_layer` output
# (modules/cluster-addons/helm.tf pins chart, version and computed values; values/*.yaml hold the static values).
# The EKS add-ons themselves are applied by Terraform.
#
#   install.sh [--dry-run] [--layer FILE] [--env ENV]
#
#   --layer FILE  addon_layer as JSON (default: terraform -chdir=infra-terraform/stacks/platform output -json addon_layer,
#                 after `terraform init -backend-config=environments/ENV/backend.hcl`)
#   --dry-run     print every command, render this repository's chart with `helm template` and check every values
#                 file; contacts no cluster, no AWS API and no chart repository
#
# Needs: jq, helm; without --dry-run also aws (update-kubeconfig) and a pipeline role with an EKS access entry.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${here}/../.." && pwd)"
dry_run=false
layer_file=""
env_name=""

usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=true ;;
    --layer) layer_file="${2:?--layer needs a file}"; shift ;;
    --env) env_name="${2:?--env needs an environment}"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

command -v jq >/dev/null || { echo "install.sh: jq is required" >&2; exit 1; }
helm_bin="${HELM:-}"
if [ -z "${helm_bin}" ]; then
  if [ -x "${repo_root}/helm-charts/.tools/helm/helm" ]; then
    helm_bin="${repo_root}/helm-charts/.tools/helm/helm"
  else
    helm_bin="$(command -v helm || true)"
  fi
fi
[ -n "${helm_bin}" ] || { echo "install.sh: helm is required (HELM, helm-charts/.tools/helm/helm or PATH)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

if [ -z "${layer_file}" ] && ${dry_run}; then
  # Nothing to read offline: show what a real run reads, and check this directory's own files.
  echo "DRY-RUN: terraform -chdir=${repo_root}/infra-terraform/stacks/platform init -input=false -backend-config=${repo_root}/environments/${env_name:-<env>}/backend.hcl"
  echo "DRY-RUN: terraform -chdir=${repo_root}/infra-terraform/stacks/platform output -json addon_layer"
  for values in "${here}"/values/*.yaml; do
    [ -s "${values}" ] || { echo "install.sh: empty values file ${values}" >&2; exit 1; }
  done
  "${helm_bin}" lint "${here}/charts/platform-config" --set region=eu-west-1 >/dev/null
  echo "install.sh: no --layer given: values files present, platform-config lints; pass --layer to dry-run the releases"
  exit 0
fi

if [ -z "${layer_file}" ]; then
  if [ -n "${env_name}" ]; then
    terraform -chdir="${repo_root}/infra-terraform/stacks/platform" init -input=false \
      -backend-config="${repo_root}/environments/${env_name}/backend.hcl" >/dev/null
  fi
  layer_file="${work}/addon_layer.json"
  terraform -chdir="${repo_root}/infra-terraform/stacks/platform" output -json addon_layer >"${layer_file}"
fi
[ -s "${layer_file}" ] || { echo "install.sh: empty add-on layer description: ${layer_file}" >&2; exit 1; }

cluster="$(jq -er '.cluster_name' "${layer_file}")"
region="$(jq -er '.region' "${layer_file}")"
count="$(jq -er '.helm_releases | length' "${layer_file}")"
[ "${count}" -gt 0 ] || { echo "install.sh: addon_layer lists no Helm release" >&2; exit 1; }

run() {
  if ${dry_run}; then
    printf 'DRY-RUN:'; printf ' %q' "$@"; printf '\n'
  else
    "$@"
  fi
}

echo "install.sh: ${count} releases into cluster ${cluster} (${region})$(${dry_run} && echo ', dry run')"
run aws eks update-kubeconfig --name "${cluster}" --region "${region}" --kubeconfig "${work}/kubeconfig"
export KUBECONFIG="${work}/kubeconfig"

for i in $(seq 0 $((count - 1))); do
  release="$(jq -c ".helm_releases[${i}]" "${layer_file}")"
  name="$(jq -er '.name' <<<"${release}")"
  namespace="$(jq -er '.namespace' <<<"${release}")"
  chart="$(jq -er '.chart' <<<"${release}")"
  version="$(jq -er '.version' <<<"${release}")"
  repository="$(jq -r '.repository' <<<"${release}")"
  static_values="$(jq -r '.values_file' <<<"${release}")"
  computed_values="${work}/${name}.values.json"
  jq -r '.values' <<<"${release}" | jq . >"${computed_values}"

  args=(upgrade --install "${name}")
  if [ -n "${repository}" ]; then
    args+=("${chart}" --repo "${repository}" --version "${version}")
  else
    # This repository's own chart: its version must be the one Terraform pinned.
    chart_dir="${here}/${chart}"
    chart_version="$(sed -n 's/^version: *//p' "${chart_dir}/Chart.yaml")"
    [ "${chart_version}" = "${version}" ] || { echo "install.sh: ${chart_dir} is version ${chart_version}, Terraform pins ${version}" >&2; exit 1; }
    args+=("${chart_dir}")
  fi
  args+=(--namespace "${namespace}" --create-namespace)
  if [ -n "${static_values}" ]; then
    [ -f "${here}/${static_values}" ] || { echo "install.sh: missing values file ${here}/${static_values}" >&2; exit 1; }
    args+=(-f "${here}/${static_values}")
  fi
  # Terraform's values last: cluster, region, VPC and requests win over the static file.
  args+=(-f "${computed_values}" --wait --atomic --timeout 10m)

  echo "install.sh: ${name} ${chart} ${version} -> ${namespace}"
  if ${dry_run} && [ -z "${repository}" ]; then
    "${helm_bin}" template "${name}" "${chart_dir}" --namespace "${namespace}" -f "${computed_values}" >"${work}/${name}.rendered.yaml"
    echo "install.sh: rendered ${name}: $(grep -c '^kind:' "${work}/${name}.rendered.yaml") objects ($(grep '^kind:' "${work}/${name}.rendered.yaml" | awk '{print $2}' | sort | paste -sd, -))"
  fi
  run "${helm_bin}" "${args[@]}"
done

echo "install.sh: done"
