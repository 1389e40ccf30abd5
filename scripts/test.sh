#!/usr/bin/env bash
# The whole test suite: build, type-check, the engine/CLI/LSP/client tests on node's test runner, then the
# real-editor suites (VS Code via code-server, extension host, Neovim), whose toolchain it sets up itself.
# SKIP_REAL_CLIENTS=1 runs everything but the real-editor suites.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run build
npm run typecheck
mapfile -t tests < <(find test -name '*.test.ts' -not -path 'test/e2e/*' -not -path '*/fixtures/*' -not -path '*/fixture/*' | sort)
node --import tsx --test --test-concurrency=2 --test-reporter=spec "${tests[@]}"
if [ "${SKIP_REAL_CLIENTS:-0}" != 1 ] && [ -f test/e2e/run.sh ]; then
  bash test/e2e/run.sh
fi
