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
  python3 python3-pip python3-venv
  libyaml-cpp-dev nlohmann-json3-dev libboost-dev libfmt-dev libcli11-dev doctest-dev pybind11-dev
  chromium fonts-dejavu-core librsvg2-bin   # the timeline's browser test; scripts/docs-images.sh
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
# PYTHON PACKAGES GO HERE (a later issue adds the Python bindings and their pytest suite):
# create .venv with python3 -m venv and pip install the requirements. Nothing is needed yet.

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
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
log "Building"
cmake --build build
log "Done: ./build/podsim is ready. Run the tests with ./scripts/test.sh"
