# shellcheck shell=bash
# Sourced by ci/scripts/*.sh: logging, dry-run aware command runner, environment names.
# Every script that sources this accepts --dry-run: commands are printed (prefixed "+ ") instead of run.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
DRY_RUN="${DRY_RUN:-false}"
SCRIPT_NAME="$(basename "$0" .sh)"

log() { echo "[$SCRIPT_NAME] $*" >&2; }
die() { echo "[$SCRIPT_NAME] ERROR: $*" >&2; exit 1; }

# Prints the command, then runs it unless --dry-run was given.
run() {
  echo "+ $*" >&2
  if [ "$DRY_RUN" != true ]; then
    "$@"
  fi
}

# Environments are the directories under environments/ (dev, test, prod, prod-dr).
require_environment() {
  local env="$1"
  [ -n "$env" ] || die "--env is required (one of: $(known_environments))"
  [ -d "$REPO_ROOT/environments/$env" ] || die "unknown environment '$env' (known: $(known_environments))"
}

known_environments() {
  local dir names=()
  for dir in "$REPO_ROOT"/environments/*/; do
    [ -d "$dir" ] || continue
    names+=("$(basename "$dir")")
  done
  echo "${names[*]}"
}

require_command() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"
  done
}

# The reactor version: the first <version> of the root pom (the root pom has no parent).
project_version() {
  sed -n 's:^  <version>\([^<]*\)</version>.*:\1:p' "$REPO_ROOT/pom.xml" | head -n 1
}

# A property of the root pom, e.g. pom_property greenmail.version
pom_property() {
  sed -n "s:.*<$1>\\([^<]*\\)</$1>.*:\\1:p" "$REPO_ROOT/pom.xml" | head -n 1
}

git_revision() {
  git -C "$REPO_ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo local
}

# Commit time in ISO-8601 so one commit builds one image digest.
git_commit_time() {
  git -C "$REPO_ROOT" show -s --format=%cI HEAD 2>/dev/null || echo USE_CURRENT_TIMESTAMP
}

# Random secret for throw-away test stacks; never printed.
random_secret() {
  head -c 18 /dev/urandom | base64 | tr -d '/+='
}
