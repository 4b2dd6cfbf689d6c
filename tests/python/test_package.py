"""The package itself: the build tree holds the current sources, and the type stubs match the extension."""

from __future__ import annotations

import ast
import filecmp
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_the_example_scenarios_ship_with_the_package_and_load_from_any_directory(tmp_path, monkeypatch):
    names = podsim.examples.names()
    assert "course/myapp-pod.yaml" in names and "bench/r1-web-pod.yaml" in names
    assert podsim.examples.names("rules") == [n for n in names if n.startswith("rules/")]
    monkeypatch.chdir(tmp_path)
    sc = podsim.load(podsim.examples.path("course/myapp-pod-6m"))  # .yaml may be left out; manifests relative
    assert sc.pods == ["default/myapp-pod"]
    with pytest.raises(FileNotFoundError, match=r"^no example scenario 'course/nope'; podsim.examples.names\(\)"):
        podsim.examples.path("course/nope")


@pytest.mark.parametrize("args", [["check", "course/myapp-pod-6m.yaml"], ["run", "rules/crashloop-always.yaml"],
                                  ["sweep", "rules/crashloop-always.yaml", "--seeds", "3"], ["logs", "--help"],
                                  ["nosuchcommand"], ["--help"]])
def test_python_m_podsim_is_the_cpp_command_same_output_and_exit_status(podsim_cli, args, tmp_path):
    args = [str(podsim.examples.path(a)) if a.endswith(".yaml") else a for a in args]
    # the command sees itself as "podsim" (its usage line names argv[0])
    direct = subprocess.run(["podsim", *args], executable=str(podsim_cli), capture_output=True, text=True,
                            cwd=tmp_path)
    via = subprocess.run([sys.executable, "-m", "podsim", *args], capture_output=True, text=True, cwd=tmp_path)
    assert (via.returncode, via.stdout, via.stderr) == (direct.returncode, direct.stdout, direct.stderr)
