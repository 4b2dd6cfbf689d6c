"""The package itself: the build tree holds the current sources, and the type stubs match the extension."""

from __future__ import annotations

import ast
import filecmp
from pathlib import Path

import podsim
from podsim import _core


def test_the_imported_podsim_is_the_build_trees_copy_of_the_current_sources(repo):
    src = repo / "python" / "podsim"
    here = Path(podsim.__file__).parent
    stale = [f.name for f in src.iterdir() if f.is_file() and not filecmp.cmp(f, here / f.name, shallow=False)]
    assert not stale, f"{here} is older than {src} for {stale}: run cmake --build build"


def test_the_core_stub_declares_every_public_name_of_the_extension_and_their_members(repo):
    tree = ast.parse((repo / "python" / "podsim" / "_core.pyi").read_text())
    declared = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    public = {n for n in dir(_core) if not n.startswith("_")}
    assert public == set(declared)
    for name, node in declared.items():
        if isinstance(node, ast.ClassDef):
            members = {m.name for m in node.body if isinstance(m, ast.FunctionDef) and not m.name.startswith("__")}
            real = {m for m in dir(getattr(_core, name)) if not m.startswith("_")}
            assert members == real, name


def test_the_package_is_marked_typed_and_exports_what_it_documents():
    assert (Path(podsim.__file__).parent / "py.typed").exists()
    for name in podsim.__all__:
        assert hasattr(podsim, name), name
    assert issubclass(podsim.ScenarioError, ValueError)
