#!/usr/bin/env bash
# Installs what Untapped needs on a fresh Debian machine: Debian's Chromium
# and Firefox ESR (no npm package may download a browser here), fonts for
# legible screenshots, then the npm packages exactly as locked.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/lib/chromium/chromium ] || need+=(chromium)
[ -x /usr/lib/firefox-esr/firefox-esr ] || need+=(firefox-esr)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]} with apt-get"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi
echo "setup: $(/usr/lib/chromium/chromium --version); $(/usr/lib/firefox-esr/firefox-esr --version); node $(node --version)"
npm ci --no-audit --no-fund
