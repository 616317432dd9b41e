#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/../..
# Docker engine + compose for the container smoke test and the compose exercise (issue 8),
# debootstrap to build base images without a registry, shellcheck for the pipeline checks.
# Idempotent: installs only what is missing and starts dockerd only when no engine answers.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=ci/scripts/lib/apt.sh
source ci/scripts/lib/apt.sh
# shellcheck source=ci/scripts/lib/docker-engine.sh
source ci/scripts/lib/docker-engine.sh

packages=(debootstrap shellcheck)
command -v dockerd >/dev/null 2>&1 || packages+=(docker.io)
# Debian bookworm ships Compose v1 (docker-compose); use the v2 plugin instead when it is already there.
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  packages+=(docker-compose)
fi
apt_install "${packages[@]}"

docker_engine_start
