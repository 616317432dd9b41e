#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Runs the Gatling `smoke` profile (a few user journeys, SLO assertions on) against a deployed environment.
# The URL is the environment's config.baseUrl from environments/<env>/notejam.values.yaml unless given.
# Usage: ci/scripts/smoke-test.sh --env NAME [--base-url URL] [--dry-run]
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
env=""
base_url=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --env) env="${2:?--env needs a value}"; shift ;;
    --base-url) base_url="${2:?--base-url needs a value}"; shift ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
require_environment "$env"
cd "$REPO_ROOT"
if [ -z "$base_url" ]; then
  base_url=$(sed -n 's/^  baseUrl:[[:space:]]*"\{0,1\}\([^"]*\)"\{0,1\}[[:space:]]*$/\1/p' "environments/$env/notejam.values.yaml" | head -n 1)
fi
[[ "$base_url" =~ ^https?:// ]] || die "no base URL for $env (config.baseUrl in environments/$env/notejam.values.yaml or --base-url)"
run ./mvnw -B -ntp -pl load-tests -am test-compile gatling:test -Dloadtest.profile=smoke "-Dnotejam.baseUrl=$base_url"
