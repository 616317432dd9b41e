#!/usr/bin/env bash
# GitHub's own workflow parser (@actions/workflow-parser, npm) for WorkflowParserTest: installed from the lock file
# into ci/workflow-parser/node_modules (git-ignored). Needs Node.js >= 20 and npm (this machine kind has them; the
# GitHub verify job gets them from actions/setup-node). Idempotent: nothing to do when the installed lock matches.
set -euo pipefail
cd "$(dirname "$0")/../workflow-parser"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "workflow-parser: node/npm NOT found: WorkflowParserTest will fail under CI=true (install Node.js >= 20)" >&2
  exit 0
fi
installed=node_modules/.package-lock.json
if [ -f "$installed" ] && [ -d node_modules/@actions/workflow-parser ] && [ "$installed" -nt package-lock.json ]; then
  echo "workflow-parser: $(node -p 'require("./node_modules/@actions/workflow-parser/package.json").version') already installed"
  exit 0
fi
timeout 300 npm ci --no-audit --no-fund --loglevel=error
echo "workflow-parser: installed $(node -p 'require("./node_modules/@actions/workflow-parser/package.json").version') with Node.js $(node --version)"
