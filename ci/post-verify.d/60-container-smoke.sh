#!/usr/bin/env bash
# Container smoke test of the notejam-app image built by Jib on a local JRE base (issue 8), next to
# PostgreSQL and Redis containers built here without a registry. Report: target/container-smoke/report.txt
set -euo pipefail
cd "$(dirname "$0")/../.."
exec ci/scripts/container-smoke-test.sh
