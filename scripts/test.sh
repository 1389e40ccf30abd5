#!/usr/bin/env bash
# The whole test suite: build, type-check, lint, the engine/CLI/LSP/client tests on node's test runner, then the
# real-editor suites (VS Code via code-server, extension host, Neovim), whose toolchain it sets up itself.
# SKIP_REAL_CLIENTS=1 runs everything but the real-editor suites. Ends with one line counting every test.
set -euo pipefail
cd "$(dirname "$0")/.."
# Tests must leave the working tree as they found it: compared after every suite, untracked files included.
tree_state() { git status --porcelain=v1 --untracked-files=all 2>/dev/null || true; }
tree_before=$(tree_state)
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run build
npm run typecheck
# A broken architecture invariant (an import across a boundary, a cycle) fails the run but does not hide the tests.
lint_failed=0
npm run lint || lint_failed=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
mapfile -t tests < <(find test -name '*.test.ts' -not -path 'test/e2e/*' -not -path '*/fixtures/*' -not -path '*/fixture/*' | sort)
node --import tsx --test --test-concurrency=2 --test-reporter=spec "${tests[@]}" | tee "$log"
passed=$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$log" | tail -1)
failed=$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$log" | tail -1)
if [ "${SKIP_REAL_CLIENTS:-0}" != 1 ] && [ -f test/e2e/run.sh ]; then
  bash test/e2e/run.sh | tee "$log"
  read -r e2e_passed e2e_failed < <(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$log" | tail -1)
  passed=$((passed + e2e_passed))
  failed=$((failed + e2e_failed))
fi
if [ "$lint_failed" -ne 0 ]; then
  echo "npm run lint failed (see above)"
  failed=$((failed + 1))
fi
tree_after=$(tree_state)
if [ "$tree_before" != "$tree_after" ]; then
  echo "the tests changed the working tree (git status before / after):"
  diff <(echo "$tree_before") <(echo "$tree_after") || true
  failed=$((failed + 1))
fi
echo "total: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
