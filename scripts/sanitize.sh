#!/usr/bin/env bash
# scripts/sanitize.sh: builds the whole tree with AddressSanitizer and UndefinedBehaviorSanitizer
# (-DPODSIM_SANITIZE=ON, the Python extension off) in build-asan/, and runs the whole ctest suite there.
#
# A sanitizer report stops the process that made it (ASAN_OPTIONS halt_on_error=1, UBSan built with
# -fno-sanitize-recover), so the test fails; the log is also searched for reports that a test might
# have swallowed. Prints ctest's summary and a closing line "N passed, M failed"; exits non-zero on any
# failed test or sanitizer report. Usage: scripts/sanitize.sh [ctest options, e.g. -R bad_input]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -f build-asan/CMakeCache.txt ]] && ! grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$(pwd -P)" build-asan/CMakeCache.txt; then
  rm -rf build-asan/CMakeCache.txt build-asan/CMakeFiles
fi
mkdir -p build-asan
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPODSIM_SANITIZE=ON -DPODSIM_BUILD_PYTHON=OFF \
  >build-asan/configure.log 2>&1 || { cat build-asan/configure.log >&2; exit 1; }
cmake --build build-asan >build-asan/build.log 2>&1 || { tail -n 60 build-asan/build.log >&2; echo "0 passed, 1 failed"; exit 1; }

export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

log=build-asan/ctest.log
set +e
ctest --test-dir build-asan --output-on-failure "$@" >"$log" 2>&1
rc=$?
set -e

summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)
reports=$(grep -cE 'ERROR: (Address|Leak)Sanitizer|runtime error:|UndefinedBehaviorSanitizer' "$log" || true)
if [[ -z "$summary" ]]; then
  tail -n 40 "$log" >&2
  echo "sanitize: no ctest summary (ctest exit status $rc)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
grep -E '\*\*\*(Failed|Timeout|Exception)|Not Run' "$log" | head -n 40 || true
echo "$summary"
if ((reports > 0)); then
  grep -nE 'ERROR: (Address|Leak)Sanitizer|runtime error:|UndefinedBehaviorSanitizer' "$log" | head -n 20 >&2
  echo "sanitize: $reports sanitizer report line(s) in $log" >&2
fi
failed=$(sed -E 's/^[0-9]+% tests passed, ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$summary")
total=$(sed -E 's/^[0-9]+% tests passed, ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$summary")
echo "sanitize: $((total - failed)) passed, ${failed} failed"
if ((failed > 0 || rc != 0 || reports > 0)); then
  exit 1
fi
