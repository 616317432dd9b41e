#!/usr/bin/env bash
# infra-terraform needs Terraform >= 1.11 and the AWS provider 5.100.0 as a filesystem mirror (no registry access).
# Nothing can be downloaded here, so this script only checks and reports; the JUnit runner finds the mirror itself
# and, with CI=true, fails when either is missing.
set -euo pipefail

if ! command -v terraform >/dev/null 2>&1; then
  echo "ci: terraform NOT found on PATH: infra-terraform tests will fail under CI=true (install Terraform >= 1.11)" >&2
  exit 0
fi
version=$(terraform version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p')
echo "ci: terraform ${version:-unknown} at $(command -v terraform)"

mirror=""
for dir in "${TF_PLUGIN_MIRROR:-}" /opt/tf-plugins "$HOME/.terraform.d/plugins" "$HOME/.local/share/terraform/plugins" \
  /usr/local/share/terraform/plugins /usr/share/terraform/plugins; do
  if [ -n "$dir" ] && [ -d "$dir/registry.terraform.io/hashicorp/aws/5.100.0" ]; then mirror="$dir"; break; fi
done
if [ -z "$mirror" ]; then
  found=$(find /opt /usr/local "$HOME" -maxdepth 8 -name 'terraform-provider-aws_v5.100.0*' -type f 2>/dev/null | head -1 || true)
  [ -n "$found" ] && mirror=$(dirname "$(dirname "$(dirname "$(dirname "$(dirname "$(dirname "$found")")")")")")
fi
if [ -z "$mirror" ]; then
  echo "ci: AWS provider 5.100.0 mirror NOT found: infra-terraform tests will fail under CI=true" >&2
else
  echo "ci: AWS provider 5.100.0 mirror at $mirror"
fi
