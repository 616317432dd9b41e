#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Rehearsal of .github/workflows/main.yml on this machine: every job in `needs` order, every ci/scripts call in its
# dry-run mode with the arguments GitHub would resolve (repository variables from ci/rehearsal-vars.env, job and
# step outputs passed on as GitHub passes them), and the platform stack's outputs of each environment from the
# mocked `terraform test` run (environments' HelmContractTest writes them) standing in for `terraform output`.
# Prints every command; fails on any input that does not resolve. Transcript: target/rehearsal/main.txt
# Usage: ci/scripts/rehearse-main.sh [--outputs-dir DIR]   (default environments/target/helm-contract)
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
outputs_dir="environments/target/helm-contract"
while [ $# -gt 0 ]; do
  case "$1" in
    --outputs-dir) outputs_dir="${2:?--outputs-dir needs a value}"; shift ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
cd "$REPO_ROOT"
require_command node git
[ -d ci/workflow-parser/node_modules/yaml ] || die "ci/workflow-parser/node_modules is missing (run ci/setup.d/65-workflow-parser.sh)"
[ -f "$outputs_dir/dev/terraform-outputs.json" ] || die "no mocked stack outputs in $outputs_dir (run ./mvnw -pl environments verify first)"
mkdir -p target/rehearsal
set +e
timeout 900 node ci/workflow-parser/rehearse.mjs .github/workflows/main.yml ci/rehearsal-vars.env "$outputs_dir" 2>&1 \
  | tee target/rehearsal/main.txt
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 0 ] || die "the rehearsal of main.yml failed (transcript: target/rehearsal/main.txt)"
# What the transcript must show beyond resolved inputs: the BOMs attached to the very digests every environment
# deploys, and each environment's add-on layer played from its stack outputs before its deploy.
# (deploy.sh's last line names the digests it deployed: "[deploy] dev runs notejam-app@<d> and notejam-backup@<d> ...")
deployed=$(sed -n 's/.*\[deploy\] dev runs notejam-app@\(sha256:[0-9a-f]*\) and notejam-backup@\(sha256:[0-9a-f]*\) .*/\1 \2/p' target/rehearsal/main.txt | head -n 1)
read -r app_digest backup_digest <<<"$deployed"
[ -n "${backup_digest:-}" ] || die "the rehearsal shows no deploy of dev with resolved digests"
for pair in "notejam-app.cdx.json notejam-app@$app_digest" "notejam-backup.cdx.json notejam-backup@$backup_digest"; do
  grep -Eq "^ *\+ cosign attest --yes --type cyclonedx --predicate target/sbom/${pair% *} [^ ]+/${pair#* }\$" target/rehearsal/main.txt \
    || die "the rehearsal does not attach target/sbom/${pair% *} to the deployed ${pair#* }"
done
log "the BOMs are attached to the deployed digests: notejam-app@$app_digest, notejam-backup@$backup_digest"
for env in $(known_environments); do
  awk -v env="$env" '
    $0 == "- run ci/scripts/install-addons.sh --env " env { addons = NR }
    addons && !layer && index($0, "releases into cluster notejam-" env " (") { layer = NR }
    index($0, "- run ci/scripts/deploy.sh --env " env " ") == 1 { deploy = NR }
    END { exit !(addons && layer && deploy && addons < layer && layer < deploy) }' target/rehearsal/main.txt \
    || die "the rehearsal did not install $env's add-on layer from its stack outputs before deploying it"
done
log "transcript: target/rehearsal/main.txt"
