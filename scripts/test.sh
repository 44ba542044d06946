#!/usr/bin/env bash
# Set up the test environment and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh -dev
# The browser tests drive Debian's chromium through Playwright: install it when it is missing and we are root.
if [ "$(id -u)" = 0 ]; then
  command -v chromium >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)
fi
.venv/bin/python -m pytest "$@"
