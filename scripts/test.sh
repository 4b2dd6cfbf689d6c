#!/usr/bin/env bash
# scripts/test.sh: runs the whole test suite of an already built tree (./scripts/bootstrap.sh builds it).
#
# Runs ctest on build/, then pytest on tests/python, and ends with one line "N passed, M failed"; exits
# non-zero when a test fails or when a runner itself cannot run. In CI (CI=true) or with PODSIM_FULL=1 it
# also builds and runs the whole ctest suite under AddressSanitizer and UndefinedBehaviorSanitizer
# (scripts/sanitize.sh, build-asan/) and fuzzes the scenario path for PODSIM_FUZZ_SECONDS (default 60)
# seconds (scripts/fuzz.sh, clang and libFuzzer, build-fuzz/); their counts are added (the fuzz run is one
# test: no finding passes).
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

# Python: pytest on tests/python (the bindings, sweeps, Dask, notebooks), counts added to ctest's.
# pytest's exit 5 (no tests collected) is a broken setup and counts as one failure, as does a run
# whose summary line cannot be read.
PYTHON=$(command -v python3 || true)
if [[ -z "$PYTHON" ]]; then
  echo "test: python3 not found: the Python tests cannot run" >&2
  failed=$((failed + 1))
else
  pylog=$(mktemp)
  trap 'rm -f "$log" "$pylog"' EXIT
  set +e
  "$PYTHON" -m pytest tests/python -q -p no:cacheprovider 2>&1 | tee "$pylog"
  pyrc=${PIPESTATUS[0]}
  set -e
  # pytest -q ends with e.g. "31 passed, 1 failed, 2 errors in 40.1s" (or "no tests ran in 0.1s").
  pysummary=$(grep -E '^(=+ )?[0-9]+ (passed|failed|errors?|skipped|xfailed|xpassed|deselected)|no tests ran' "$pylog" | tail -n 1 || true)
  count() { grep -oE "[0-9]+ $1" <<<"$pysummary" | grep -oE '^[0-9]+' || echo 0; }
  pypassed=$(count passed)
  pyfailed=$(( $(count failed) + $(count 'errors?') ))
  if ((pyrc == 5)); then
    echo "test: pytest collected no tests (exit 5): the Python test setup is broken" >&2
    pyfailed=$((pyfailed + 1))
  elif ((pyrc != 0 && pyfailed == 0)); then
    echo "test: pytest exited $pyrc without a readable failure count" >&2
    pyfailed=1
  fi
  passed=$((passed + pypassed))
  failed=$((failed + pyfailed))
fi

# CI: the suite again under the sanitizers, and a bounded fuzz run.
full_rc=0
if [[ "${CI:-}" == "true" || "${PODSIM_FULL:-}" == "1" ]]; then
  salog=$(mktemp)
  trap 'rm -f "$log" "${pylog:-}" "$salog"' EXIT
  set +e
  ./scripts/sanitize.sh 2>&1 | tee "$salog"
  sarc=${PIPESTATUS[0]}
  set -e
  sasummary=$(grep -E '^sanitize: [0-9]+ passed, [0-9]+ failed' "$salog" | tail -n 1 || true)
  if [[ -n "$sasummary" ]]; then
    passed=$((passed + $(sed -E 's/^sanitize: ([0-9]+) passed.*/\1/' <<<"$sasummary")))
    failed=$((failed + $(sed -E 's/^sanitize: [0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$sasummary")))
  fi
  if ((sarc != 0)); then
    full_rc=1
    [[ -n "$sasummary" && "$sasummary" != *" 0 failed" ]] || failed=$((failed + 1))  # a report or a broken build
  fi
  if ./scripts/fuzz.sh "${PODSIM_FUZZ_SECONDS:-60}"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    full_rc=1
  fi
fi

echo "${passed} passed, ${failed} failed"
if ((failed > 0 || rc != 0 || ${pyrc:-0} != 0 || full_rc != 0)); then
  exit 1
fi
