"""Shared fixtures of the Python suite: the podsim built in build/python comes first on the path.

The suite tests the tree it sits in: ``build/python`` (made by ``cmake --build build``) is put before any
installed podsim, for this process and (via PYTHONPATH) for the processes it starts (Dask workers,
notebook kernels). ``PODSIM_BUILD`` names another build directory.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("PODSIM_BUILD", REPO / "build"))
if (BUILD / "python" / "podsim").is_dir():
    _p = str(BUILD / "python")
    sys.path.insert(0, _p)
    os.environ["PYTHONPATH"] = _p + (os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else "")


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository's root."""
    return REPO


@pytest.fixture(scope="session")
def podsim_cli() -> Path:
    """The podsim command built next to the extension (skips nothing: a missing binary fails)."""
    exe = BUILD / "podsim"
    assert exe.exists(), f"{exe} is missing: build with cmake --build build"
    return exe
