#!/usr/bin/env bash
# scripts/wheel-check.sh [WHEEL]: the wheel as a user gets it (issue 15's packaging check; a developer check,
# not part of CI, as it builds the whole project once more, several minutes on 2 cores).
#
# Builds the wheel (`pip wheel . --no-deps`, unless WHEEL is given), creates a fresh virtual environment in a
# temporary directory outside the repository, installs the wheel there (its dependencies from PyPI), and
# from that directory checks: the `podsim` command runs a shipped example scenario, `python -m podsim` is the
# same command, `import podsim` runs a scenario and a sweep, the extension needs no library outside the wheel
# but libc/libstdc++/libgcc/libm (ldd), and every notebook runs from a copy in that directory (nbclient).
# Prints one line per check and "wheel-check: N passed, M failed"; exits 1 when a check fails.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
passed=0; failed=0
check() { local name=$1; shift; if "$@" >"$WORK/out.log" 2>&1; then echo "ok   $name"; passed=$((passed + 1));
          else echo "FAIL $name"; sed 's/^/     /' "$WORK/out.log" | tail -n 15; failed=$((failed + 1)); fi; }

WHEEL=${1:-}
if [[ -z "$WHEEL" ]]; then
  echo "building the wheel (pip wheel . --no-deps) ..."
  python3 -m pip wheel "$ROOT" --no-deps -w "$WORK/dist" -q || { echo "wheel-check: the wheel does not build"; exit 1; }
  WHEEL=$(ls "$WORK"/dist/podsim-*.whl)
fi
echo "wheel: $(basename "$WHEEL") ($(du -k "$WHEEL" | cut -f1) KiB)"
python3 -m venv "$WORK/venv"
PY="$WORK/venv/bin/python"
check "pip install of the wheel into a fresh venv" "$PY" -m pip install -q --disable-pip-version-check "$WHEEL"
mkdir -p "$WORK/elsewhere" && cd "$WORK/elsewhere"
EX=$("$PY" -c 'import podsim.examples as e; print(e.path("course/myapp-pod.yaml"))' 2>/dev/null)
check "the podsim command runs a shipped example" "$WORK/venv/bin/podsim" run "$EX" --duration 2m
check "python -m podsim is the same command" bash -c "diff <('$WORK/venv/bin/podsim' run '$EX' -o jsonl) <('$PY' -m podsim run '$EX' -o jsonl)"
check "import podsim: a run and a sweep" "$PY" -c "
import podsim, podsim.examples as e
sc = podsim.load(e.path('course/myapp-pod.yaml'))
assert sc.run().summary().shape[0] > 0
assert len(podsim.sweep(sc, seeds=4, progress=False)) == 4"
check "the extension links only system libraries" bash -c "
so=\$('$PY' -c 'import podsim._core as c; print(c.__file__)'); ldd \"\$so\" | tee /dev/stderr |
  grep -vE 'linux-vdso|ld-linux|libc\.so|libstdc\+\+|libgcc_s|libm\.so|=> .*/site-packages/podsim' | grep -q . && exit 1 || exit 0"
if ls "$ROOT"/notebooks/*.ipynb >/dev/null 2>&1; then
  check "notebook dependencies install" "$PY" -m pip install -q --disable-pip-version-check nbclient nbformat ipykernel matplotlib
  for nb in "$ROOT"/notebooks/*.ipynb; do
    cp "$nb" "$WORK/elsewhere/"
    check "notebook $(basename "$nb") runs from a copy outside the repository" "$PY" -c "
import nbformat, nbclient, sys
nb = nbformat.read('$(basename "$nb")', as_version=4)
nbclient.NotebookClient(nb, timeout=600, kernel_name='python3', resources={'metadata': {'path': '.'}}).execute()"
  done
fi
echo "wheel-check: $passed passed, $failed failed"
((failed == 0))
