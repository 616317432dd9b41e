#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Scans the images with Trivy (fails on fixable HIGH/CRITICAL findings) and writes a CycloneDX SBOM of each
# image plus the Maven aggregate SBOM under target/sbom/.
# Usage: ci/scripts/scan-image.sh [--images-env FILE] [--severity HIGH,CRITICAL] [--dry-run]
#   default       the tarballs of `build-images.sh --tar` (pull requests: nothing pushed)
#   --images-env  the pushed digests named in FILE (target/images.env of `build-images.sh --push`): APP_IMAGE
#                 and BACKUP_IMAGE, <registry>/<repository>@sha256:..., exactly what the deploys run
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
severity="HIGH,CRITICAL"
images_env=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --severity) severity="${2:?--severity needs a value}"; shift ;;
    --images-env) images_env="${2:?--images-env needs a value}"; shift ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
cd "$REPO_ROOT"
[ "$DRY_RUN" = true ] || require_command trivy
mkdir -p target/sbom
run ./mvnw -B -ntp -q cyclonedx:makeAggregateBom -DoutputDirectory="$REPO_ROOT/target/sbom" -DoutputName=notejam-maven

# scan NAME TRIVY-SOURCE...: SBOM first (kept even when the scan fails), then the gate.
scan() {
  local name="$1"
  shift
  run trivy image "$@" --format cyclonedx --output "target/sbom/$name.cdx.json"
  run trivy image "$@" --severity "$severity" --ignore-unfixed --exit-code 1 --no-progress
}

if [ -n "$images_env" ]; then
  [ -r "$images_env" ] || die "cannot read $images_env (written by ci/scripts/build-images.sh --push)"
  for key in APP_IMAGE BACKUP_IMAGE; do
    ref=$(sed -n "s/^$key=//p" "$images_env" | head -n 1)
    [[ "$ref" == *@sha256:* ]] || die "$key in $images_env is '$ref', not a <repository>@sha256:... digest reference"
    require_digest "${ref##*@}"
    repository="${ref%@*}"
    # The SBOM file names the digest it describes; trivy reads the registry login of `docker login`.
    scan "${repository##*/}-${ref##*@sha256:}" "$ref"
  done
else
  # Where each module's Jib configuration writes its tarball (jib-image.tar unless <outputPaths><tar> says otherwise).
  for tarball in notejam-app/target/jib-image.tar backup-jobs/target/notejam-backup-image.tar; do
    [ "$DRY_RUN" = true ] || [ -s "$tarball" ] || die "$tarball is missing (run ci/scripts/build-images.sh --tar)"
    scan "${tarball%%/*}-image" --input "$tarball"
  done
fi
