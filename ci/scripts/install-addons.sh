#!/usr/bin/env bash
# Installs an environment's cluster add-on layer (the Helm half; Terraform applies the EKS add-ons) before the first
# deploy.sh and after every change of infra-terraform/modules/cluster-addons. The one implementation is
# infra-terraform/cluster-addons/install.sh, which reads the stack's addon_layer output.
# Usage: ci/scripts/install-addons.sh --env NAME [--layer FILE] [--dry-run]
set -euo pipefail
exec "$(dirname "$0")/../../infra-terraform/cluster-addons/install.sh" "$@"
