#!/usr/bin/env bash
# scripts/fuzz.sh SECONDS [libFuzzer options...]: builds fuzz/fuzz_scenario with clang, libFuzzer,
# AddressSanitizer and UndefinedBehaviorSanitizer in build-fuzz/, and fuzzes the scenario loader and a
# bounded run for SECONDS (default 60).
#
# The seed corpus is made at run time from scenarios/ and tests/regressions/; the corpus the fuzzer grows
# is build-fuzz/corpus/ (kept between runs, not committed); fuzz/podsim.dict holds the scenario keywords.
# A finding leaves build-fuzz/artifacts/RUN/crash-* (or leak-*, timeout-*, oom-*): copy it to
# tests/regressions/ with the message the loader should give (ctest then runs it on every build).
# Prints the figures (executions, exec/s, corpus, coverage) and exits non-zero on a finding.
# CI: `scripts/fuzz.sh 60` (a bounded run, one core).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=${1:-60}
shift || true

CXX_FUZZ=${CXX_FUZZ:-$(command -v clang++ || command -v clang++-14 || true)}
[[ -n "$CXX_FUZZ" ]] || { echo "fuzz: clang++ not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }

if [[ -f build-fuzz/CMakeCache.txt ]] && ! grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$(pwd -P)" build-fuzz/CMakeCache.txt; then
  rm -rf build-fuzz/CMakeCache.txt build-fuzz/CMakeFiles
fi
mkdir -p build-fuzz
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$CXX_FUZZ" \
  -DPODSIM_FUZZ=ON -DPODSIM_SANITIZE=ON -DPODSIM_BUILD_TESTS=OFF -DPODSIM_BUILD_PYTHON=OFF >build-fuzz/build.log 2>&1 ||
  { cat build-fuzz/build.log >&2; exit 1; }
cmake --build build-fuzz --target fuzz_scenario >>build-fuzz/build.log 2>&1 || { tail -n 50 build-fuzz/build.log >&2; exit 1; }

# Seed corpus: every scenario file, and every regression input (text, copied fresh each run). The corpus
# that fuzzing grows lives in build-fuzz/corpus/ (kept between runs, never committed).
seeds=build-fuzz/seeds
corpus=build-fuzz/corpus
artifacts=build-fuzz/artifacts/$(date -u +%Y%m%dT%H%M%SZ)  # this run's findings only
rm -rf "$seeds"
mkdir -p "$seeds" "$corpus" "$artifacts"
i=0
while IFS= read -r -d '' f; do
  cp "$f" "$seeds/seed-$i.yaml"
  i=$((i + 1))
done < <(find scenarios tests/regressions -type f \( -name '*.yaml' -o -name '*.yml' \) -print0 2>/dev/null | sort -z)

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
log=build-fuzz/fuzz.log
set +e
build-fuzz/fuzz/fuzz_scenario -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -dict=fuzz/podsim.dict -artifact_prefix="$artifacts/" -print_final_stats=1 "$@" "$corpus" "$seeds" >"$log" 2>&1
rc=$?
set -e
# The figures: the last status line (executions, cov: edges, ft: features, corp: units/bytes) and the final stats.
grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -n 1 || true
grep -E '^stat::' "$log" || true
echo "corpus: $(find "$corpus" -type f | wc -l) files in $corpus"
findings=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) 2>/dev/null | sort)
if ((rc != 0)) || [[ -n "$findings" ]]; then
  tail -n 60 "$log" >&2
  if [[ -n "$findings" ]]; then
    echo "fuzz: finding (exit $rc): $findings" >&2
    echo "fuzz: copy each to tests/regressions/ as a .yaml with '# expect: MESSAGE' (or a .expected sidecar)" >&2
  else
    echo "fuzz: the fuzzer failed to run (exit $rc); see $log" >&2
  fi
  exit 1
fi
echo "fuzz: no finding in ${seconds}s"
