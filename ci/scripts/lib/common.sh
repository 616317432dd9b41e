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

# Environments are the directories under environments/ with Terraform variables (dev, test, prod, prod-dr).
require_environment() {
  local env="$1"
  [ -n "$env" ] || die "--env is required (one of: $(known_environments))"
  if [[ ! "$env" =~ ^[a-z0-9-]+$ ]] || [ ! -f "$REPO_ROOT/environments/$env/platform.tfvars" ]; then
    die "unknown environment '$env' (known: $(known_environments))"
  fi
}

known_environments() {
  local file names=()
  for file in "$REPO_ROOT"/environments/*/platform.tfvars; do
    [ -f "$file" ] || continue
    names+=("$(basename "$(dirname "$file")")")
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

# The backup image's base as backup-jobs/pom.xml names it (built by ci/scripts/backup-base-image.sh).
backup_base_image() {
  sed -n 's:.*<backup.base.image>\([^<]*\)</backup.base.image>.*:\1:p' "$REPO_ROOT/backup-jobs/pom.xml" | head -n 1
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

# A quoted string value of an environment's platform.tfvars, e.g. tfvars_value dev region
tfvars_value() {
  sed -n "s/^$2[[:space:]]*=[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p" "$REPO_ROOT/environments/$1/platform.tfvars" | head -n 1
}

# Region of an environment (from its platform.tfvars) and its EKS cluster (the stack names it notejam-<env>).
env_region() { tfvars_value "$1" region; }
env_cluster() { echo "${EKS_CLUSTER:-notejam-$1}"; }

# Points kubectl/helm at the environment's cluster. Credentials come from the job's OIDC role (no keys).
use_cluster() {
  local env="$1"
  run aws eks update-kubeconfig --name "$(env_cluster "$env")" --region "$(env_region "$env")" --alias "notejam-$env"
}

# ECR registry host; in a dry run a placeholder keeps the printed commands readable.
ecr_registry() {
  if [ -n "${ECR_REGISTRY:-}" ]; then
    echo "$ECR_REGISTRY"
  elif [ "$DRY_RUN" = true ]; then
    echo "111122223333.dkr.ecr.eu-west-1.amazonaws.com"
  else
    die "ECR_REGISTRY is not set (the registry host, e.g. <account>.dkr.ecr.<region>.amazonaws.com)"
  fi
}

# Region of an ECR registry host (<account>.dkr.ecr.<region>.amazonaws.com): where the pipeline pushes, whatever
# region the job's credentials were configured for.
ecr_registry_region() {
  sed -n 's/^[0-9]\{12\}\.dkr\.ecr\.\([a-z0-9-]*\)\.amazonaws\.com\(\/.*\)\{0,1\}$/\1/p' <<<"$1"
}

require_digest() {
  [[ "$1" =~ ^sha256:[0-9a-f]{64}$ ]] || die "'$1' is not an image digest (sha256:<64 hex>)"
}

NAMESPACE="${NAMESPACE:-notejam}"
