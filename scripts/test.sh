#!/usr/bin/env bash
# Set up the test environment and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh -dev
# The browser tests drive Debian's chromium (Playwright) and firefox-esr (puppeteer-core over WebDriver BiDi):
# install them when missing and we are root. The npm test tools are pinned in package-lock.json.
if [ "$(id -u)" = 0 ]; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v firefox-esr >/dev/null || missing+=(firefox-esr)
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  fi
fi
npm ci --no-audit --no-fund --loglevel=error
.venv/bin/python -m pytest "$@"
