#!/usr/bin/env bash
# Rehearsal of main.yml (issue 19): every job in order, every ci/scripts call in its dry-run mode with resolved
# arguments, the mocked stack outputs of HelmContractTest (written by ./mvnw verify) for each environment; fails on
# any input that does not resolve. About a minute. Transcript: target/rehearsal/main.txt
set -euo pipefail
cd "$(dirname "$0")/../.."
exec ci/scripts/rehearse-main.sh
