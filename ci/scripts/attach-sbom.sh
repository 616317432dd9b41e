#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Attaches the CycloneDX BOM of the Maven build to the exact digests pushed to ECR, as signed in-toto attestations
# (`cosign attest --type cyclonedx`, keyless: the job's GitHub OIDC token gets a short-lived Sigstore certificate
# naming this repository's workflow; no key is stored anywhere). Stored next to the image in the same repository
# (tag sha256-<digest>.att), so ECR replication carries it to the DR region with the image. Anyone can check it:
#   cosign verify-attestation --type cyclonedx \
#     --certificate-identity-regexp '^https://github.com/<owner>/<repo>/.github/workflows/main.yml@' \
#     --certificate-oidc-issuer https://token.actions.githubusercontent.com <registry>/notejam-app@sha256:...
# ECR tags are immutable, so a digest that already carries a CycloneDX attestation (a rerun of the same commit)
# is left as it is.
# Usage: ci/scripts/attach-sbom.sh [--images-env FILE] [--sbom-dir DIR] [--dry-run]
#   defaults: target/images.env (build-images.sh --push), target/sbom (notejam-app.cdx.json, notejam-backup.cdx.json)
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
images_env=target/images.env
sbom_dir=target/sbom
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --images-env) images_env="${2:?--images-env needs a file}"; shift ;;
    --sbom-dir) sbom_dir="${2:?--sbom-dir needs a directory}"; shift ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
cd "$REPO_ROOT"
[ "$DRY_RUN" = true ] || require_command cosign
[ -r "$images_env" ] || die "cannot read $images_env (written by ci/scripts/build-images.sh --push)"
value() { sed -n "s/^$1=//p" "$images_env" | head -n 1; }

app_image=$(value APP_IMAGE)
backup_image=$(value BACKUP_IMAGE)
app_default_digest=$(value APP_DEFAULT_DIGEST)
for ref in "$app_image" "$backup_image"; do
  [[ "$ref" == */*@sha256:* ]] || die "'$ref' in $images_env is not a <registry>/<repository>@sha256:... reference"
  require_digest "${ref##*@}"
done
# The deployed app image (fast-start) and the plain one a rollback may use hold the same jars: one BOM for both.
refs=("$app_image|$sbom_dir/notejam-app.cdx.json" "$backup_image|$sbom_dir/notejam-backup.cdx.json")
if [ -n "$app_default_digest" ] && [ "$app_default_digest" != "${app_image##*@}" ]; then
  refs+=("${app_image%@*}@$app_default_digest|$sbom_dir/notejam-app.cdx.json")
fi

for entry in "${refs[@]}"; do
  ref="${entry%%|*}"
  bom="${entry#*|}"
  [ "$DRY_RUN" = true ] || [ -s "$bom" ] || die "no BOM at $bom (build-images.sh writes it with cyclonedx:makeBom)"
  if [ "$DRY_RUN" != true ] && cosign download attestation --predicate-type https://cyclonedx.org/bom "$ref" >/dev/null 2>&1; then
    log "$ref already carries a CycloneDX attestation: kept (immutable tags)"
    continue
  fi
  run cosign attest --yes --type cyclonedx --predicate "$bom" "$ref"
done
