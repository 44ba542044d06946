#!/usr/bin/env bash
# Set up the test environment and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh -dev
.venv/bin/python -m pytest "$@"
