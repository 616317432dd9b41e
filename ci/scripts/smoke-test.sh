#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Runs the Gatling `smoke` profile (a few user journeys, SLO assertions on) against a deployed environment, not
# against an app started on the runner (load-tests' LoadTestSettings refuses a remote URL with the embedded app).
# The URL, first found of: --base-url; helm_values.notejam.config.baseUrl of --terraform-outputs FILE (the stack's
# `terraform output -json`, the file deploy.sh wrote in the same job); config.baseUrl of
# environments/<env>/notejam.values.yaml.
# Usage: ci/scripts/smoke-test.sh --env NAME [--base-url URL | --terraform-outputs FILE] [--dry-run]
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
env=""
base_url=""
outputs_file=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --env) env="${2:?--env needs a value}"; shift ;;
    --base-url) base_url="${2:?--base-url needs a value}"; shift ;;
    --terraform-outputs) outputs_file="${2:?--terraform-outputs needs a file}"; shift ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
require_environment "$env"
cd "$REPO_ROOT"
if [ -z "$base_url" ] && [ -n "$outputs_file" ]; then
  [ -r "$outputs_file" ] || die "--terraform-outputs: cannot read $outputs_file"
  require_command jq
  base_url=$(jq -r '.helm_values.value.notejam.config.baseUrl // empty' "$outputs_file")
  [ -n "$base_url" ] || die "no helm_values.notejam.config.baseUrl in $outputs_file (the stack has no DNS for $env?)"
fi
if [ -z "$base_url" ]; then
  base_url=$(sed -n 's/^  baseUrl:[[:space:]]*"\{0,1\}\([^"]*\)"\{0,1\}[[:space:]]*$/\1/p' "environments/$env/notejam.values.yaml" | head -n 1)
fi
[[ "$base_url" =~ ^https?:// ]] || die "no base URL for $env (--base-url, --terraform-outputs or config.baseUrl in environments/$env/notejam.values.yaml)"
# The environment itself: no app started here (startEmbeddedApp=false), and the explicit opt-in for a remote host.
# The app artifact the load-test classes compile against, then Gatling in load-tests alone (a goal given with -am
# would run in every module of the reactor).
run ./mvnw -B -ntp -pl notejam-app -am install -DskipTests
run ./mvnw -B -ntp -pl load-tests test-compile gatling:test -Dloadtest.profile=smoke "-Dnotejam.baseUrl=$base_url" \
  -Dloadtest.startEmbeddedApp=false -Dloadtest.allowRemoteTarget=true
