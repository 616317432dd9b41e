#!/usr/bin/env bash
# docker-compose.yml + docker-compose.ci.yml on locally built images: every service exercised (issue 8).
# Reuses the app image the container smoke test (60-) built for this commit. Report: target/compose-exercise/report.md
set -euo pipefail
cd "$(dirname "$0")/../.."
exec ci/scripts/compose-exercise.sh --reuse-app-image
