#!/usr/bin/env bash
# Real-editor tests: sets up the toolchain (cached in .e2e-tools/), builds the extension as it ships in the .vsix
# (minified: the UI suite's cold-start time is what users get), then runs the suites (test/e2e/run.mjs) and ends with
# `N passed, N failed`. Arguments pick suites: ext-host, ui, nvim.
# E2E_SKIP_BUILD=1 tests dist/ as it is (with E2E_EXTENSION_DIR, another built copy of the extension).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
started=$SECONDS
bash scripts/setup-real-clients.sh
# shellcheck source=/dev/null
source "${E2E_TOOLS:-$ROOT/.e2e-tools}/env.sh"
if [ "${E2E_SKIP_BUILD:-0}" != 1 ]; then
  build_started=$SECONDS
  npm run --silent build:release
  echo "[e2e] npm run build:release: $((SECONDS - build_started))s"
fi
echo "[e2e] toolchain and build ready after $((SECONDS - started))s"
# exec: the driver receives Ctrl+C / SIGTERM itself and stops every server it started.
exec node --import tsx test/e2e/run.mjs "$@"
