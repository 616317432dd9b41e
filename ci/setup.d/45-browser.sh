#!/usr/bin/env bash
# Headless browser for notejam-app's real-browser end-to-end test (dev.notejam.app.browser): Debian's Chromium
# and its matching chromedriver. Selenium drives these system binaries; nothing is downloaded at test time.
# Idempotent: does nothing when both are already installed.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  echo "browser: $(/usr/bin/chromium --version 2>/dev/null) and chromedriver already installed"
  exit 0
fi

# shellcheck source=../scripts/lib/apt.sh
source ci/scripts/lib/apt.sh
# fonts-dejavu-core: readable text in screenshots on a minimal machine.
apt_install chromium chromium-driver fonts-dejavu-core
echo "browser: installed $(/usr/bin/chromium --version 2>/dev/null), $(/usr/bin/chromedriver --version)"
