#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Scans the image tarballs from `build-images.sh --tar` with Trivy (fails on fixable HIGH/CRITICAL findings)
# and writes a CycloneDX SBOM of each image plus the Maven aggregate SBOM under target/sbom/.
# Usage: ci/scripts/scan-image.sh [--dry-run] [--severity HIGH,CRITICAL]
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
severity="HIGH,CRITICAL"
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --severity) severity="${2:?--severity needs a value}"; shift ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
cd "$REPO_ROOT"
[ "$DRY_RUN" = true ] || require_command trivy
mkdir -p target/sbom
run ./mvnw -B -ntp -q cyclonedx:makeAggregateBom -DoutputDirectory="$REPO_ROOT/target/sbom" -DoutputName=notejam-maven
for module in notejam-app backup-jobs; do
  tarball="$module/target/jib-image.tar"
  [ "$DRY_RUN" = true ] || [ -s "$tarball" ] || die "$tarball is missing (run ci/scripts/build-images.sh --tar)"
  run trivy image --input "$tarball" --format cyclonedx --output "target/sbom/$module-image.cdx.json"
  run trivy image --input "$tarball" --severity "$severity" --ignore-unfixed --exit-code 1 --no-progress
done
