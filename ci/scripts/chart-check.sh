#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Pull-request stage: lint every chart and render it with each environment's values (helm lint / template).
# Usage: ci/scripts/chart-check.sh [--dry-run] [--env NAME]   (default: every environment)
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
envs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --env) envs+=("${2:?--env needs a value}"); shift ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
cd "$REPO_ROOT"
[ ${#envs[@]} -gt 0 ] || read -r -a envs <<<"$(known_environments)"
helm_bin="${HELM:-helm}"
if ! command -v "$helm_bin" >/dev/null 2>&1 && [ -x helm-charts/.tools/helm/helm ]; then
  helm_bin=helm-charts/.tools/helm/helm
fi
[ "$DRY_RUN" = true ] || require_command "$helm_bin"
out="$REPO_ROOT/target/chart-check"
mkdir -p "$out"
for env in "${envs[@]}"; do
  require_environment "$env"
  for chart in notejam notejam-backup; do
    values="environments/$env/$([ "$chart" = notejam ] && echo notejam || echo backup).values.yaml"
    [ -f "$values" ] || die "$values is missing"
    run "$helm_bin" lint --strict "helm-charts/charts/$chart" -f "$values"
    if [ "$DRY_RUN" = true ]; then
      run "$helm_bin" template "$chart" "helm-charts/charts/$chart" -n "$NAMESPACE" -f "$values"
    else
      run "$helm_bin" template "$chart" "helm-charts/charts/$chart" -n "$NAMESPACE" -f "$values" >"$out/$env-$chart.yaml"
    fi
  done
done
log "charts lint and render for: ${envs[*]}"
