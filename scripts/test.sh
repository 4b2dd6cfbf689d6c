#!/usr/bin/env bash
# scripts/test.sh: runs the whole test suite of an already built tree (./scripts/bootstrap.sh builds it).
#
# Runs ctest on build/ and ends with one line "N passed, M failed"; exits non-zero when a test fails
# or when ctest itself cannot run. (A later issue adds a Python pytest step here.)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

[[ -f build/CTestTestfile.cmake ]] || { echo "test: build/ is not configured; run ./scripts/bootstrap.sh first" >&2; exit 1; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT

set +e
ctest --test-dir build --output-on-failure 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

# ctest's summary: "100% tests passed, 0 tests failed out of 42" (or "95% tests passed, 2 tests failed out of 42").
summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)
if [[ -z "$summary" ]]; then
  echo "test: no ctest summary found (ctest exit status $rc)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
failed=$(sed -E 's/^[0-9]+% tests passed, ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$summary")
total=$(sed -E 's/^[0-9]+% tests passed, ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$summary")
passed=$((total - failed))

# (Python tests: a later issue runs pytest here and adds its counts.)

echo "${passed} passed, ${failed} failed"
if ((failed > 0 || rc != 0)); then
  exit 1
fi
