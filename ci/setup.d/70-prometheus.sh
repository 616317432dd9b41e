#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR/../..
# Prometheus and promtool from Debian for the observability tests: helm-charts runs `promtool check rules` and
# `promtool test rules` on the rules the chart renders; load-tests starts its own Prometheus (free loopback port,
# temp data dir) that scrapes the real app and evaluates the same rules. Debian's service is not needed: the
# tests start their own server, so the packaged one is stopped if the package started it.
# Idempotent: does nothing when both binaries are already installed.
set -euo pipefail
cd "$(dirname "$0")/../.."

if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
  echo "prometheus: $(prometheus --version 2>&1 | head -1) already installed"
  exit 0
fi

# shellcheck source=ci/scripts/lib/apt.sh
source ci/scripts/lib/apt.sh
# --no-install-recommends (in apt_install) keeps node-exporter and its friends out.
apt_install prometheus
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
if command -v service >/dev/null 2>&1; then
  $sudo service prometheus stop >/dev/null 2>&1 || true
fi
echo "prometheus: installed $(prometheus --version 2>&1 | head -1), $(promtool --version 2>&1 | head -1)"
