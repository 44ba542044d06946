#!/usr/bin/env bash
# Set up the test environment and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
# The browser tests drive Debian's chromium (Playwright) and firefox-esr (puppeteer-core over WebDriver BiDi),
# the HTML validity test runs the Nu HTML Checker on Java, and pyicu compiles against ICU: install them
# when missing and we are root.
if [ "$(id -u)" = 0 ]; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v firefox-esr >/dev/null || missing+=(firefox-esr)
  command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
  command -v npm >/dev/null || missing+=(npm)
  # pyicu (for followthemoney, which checks the FtM export) compiles against ICU.
  pkg-config --exists icu-i18n 2>/dev/null || missing+=(libicu-dev pkg-config g++)
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  fi
fi
bash scripts/setup.sh -dev
# The npm test tools (vnu-jar, puppeteer-core), pinned in package.json / package-lock.json, into node_modules/.
npm ci --no-audit --no-fund --loglevel=error
# one worker per core, each taking whole test files, so module fixtures (built sites, browsers) are made once
.venv/bin/python -m pytest -n auto --dist loadfile "$@"
