#!/usr/bin/env bash
# scripts/bootstrap.sh: makes a fresh Debian 12 machine ready to build podsim, then builds it.
#
# Installs the Debian packages podsim needs (skipped when all are already installed), then configures
# and builds with CMake and Ninja into ./build. Safe to run again: every step is idempotent.
# Run as root, or as a user with sudo.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '==> %s\n' "$*"; }
die() { printf 'bootstrap: error: %s\n' "$*" >&2; exit 1; }

PACKAGES=(
  build-essential cmake ninja-build git
  python3 python3-pip python3-venv python3-dev
  libyaml-cpp-dev nlohmann-json3-dev libboost-dev libfmt-dev libcli11-dev doctest-dev pybind11-dev
  chromium fonts-dejavu-core librsvg2-bin   # the timeline's browser test; scripts/docs-images.sh
  clang libclang-rt-14-dev                  # scripts/fuzz.sh: libFuzzer and clang's sanitizer runtimes
)

# --- 1. Debian packages ------------------------------------------------------------------------
missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  log "All ${#PACKAGES[@]} Debian packages are installed; skipping apt-get."
else
  log "Installing missing Debian packages: ${missing[*]}"
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: this script expects Debian 12 (bookworm)."
  if [[ $(id -u) -eq 0 ]]; then
    SUDO=()
  elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    die "not root and sudo is not available; install as root: apt-get install ${missing[*]}"
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update
  "${SUDO[@]}" apt-get install -y --no-install-recommends "${PACKAGES[@]}"
fi

# --- 2. Python packages --------------------------------------------------------------------------
# What the Python bindings, their tests and notebooks need, from PyPI, for the `python3` on PATH (skipped
# when all import already). The package itself: the build below makes build/python/podsim, and a .pth
# file in that interpreter's site-packages puts build/python on its path, so `import podsim` works right
# after this script (a `pip install .` of podsim, if there is one, comes first and is left alone).
PYTHON=$(command -v python3 || true)
[[ -n "$PYTHON" ]] || die "python3 not found"
PYTHON=$("$PYTHON" -c 'import sys; print(sys.executable)')
PY_PACKAGES=(numpy pandas pyarrow pyyaml matplotlib tqdm nbclient nbformat ipykernel "dask[distributed]" pytest scikit-build-core simpy)
PY_MODULES="numpy, pandas, pyarrow, yaml, matplotlib, tqdm, nbclient, nbformat, ipykernel, dask, distributed, pytest, scikit_build_core, simpy"
if "$PYTHON" -c "import ${PY_MODULES}" >/dev/null 2>&1; then
  log "All ${#PY_PACKAGES[@]} Python packages import in $PYTHON; skipping pip."
else
  log "Installing Python packages for $PYTHON: ${PY_PACKAGES[*]}"
  "$PYTHON" -m pip install --quiet --disable-pip-version-check "${PY_PACKAGES[@]}" ||
    "$PYTHON" -m pip install --quiet --disable-pip-version-check --break-system-packages "${PY_PACKAGES[@]}"
fi

# --- 3. Configure and build ----------------------------------------------------------------------
# A build/ left by another generator or by a copy of the tree elsewhere cannot be reconfigured in place.
if [[ -f build/CMakeCache.txt ]]; then
  if ! grep -qx 'CMAKE_GENERATOR:INTERNAL=Ninja' build/CMakeCache.txt ||
     ! grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$(pwd -P)" build/CMakeCache.txt; then
    log "build/ was configured by another generator or for another source tree; clearing its CMake cache"
    rm -rf build/CMakeCache.txt build/CMakeFiles
  fi
fi
log "Configuring (build/, Release, Ninja)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DPython_EXECUTABLE="$PYTHON"
log "Building"
cmake --build build

# The Python package from build/python on the interpreter's path (idempotent: the same one line).
if [[ -f build/python/podsim/__init__.py ]] && ls build/python/podsim/_core*.so >/dev/null 2>&1; then
  if "$PYTHON" -m pip show podsim >/dev/null 2>&1; then
    log "podsim is pip-installed for $PYTHON; leaving it (pip install . again to update it)"
  else
    site=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    pth="$site/podsim-build.pth"
    want="$(pwd -P)/build/python"
    if [[ "$(cat "$pth" 2>/dev/null || true)" != "$want" ]]; then
      log "Putting $want on $PYTHON's path ($pth)"
      printf '%s\n' "$want" >"$pth"
    fi
  fi
  "$PYTHON" -c "import podsim" || die "import podsim fails after the build"
fi
log "Done: ./build/podsim is ready. Run the tests with ./scripts/test.sh"
