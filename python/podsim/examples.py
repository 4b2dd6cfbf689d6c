"""podsim.examples: the example scenarios shipped with the package (the repository's scenarios/ folder).

Owns finding them: in an installed wheel they are the package's ``examples/`` folder; in the build tree
(``PYTHONPATH=build/python``) ``examples`` is a link to the repository's ``scenarios/``. Does not own their
content (scenarios/README.md describes them).

    import podsim
    podsim.examples.names()                         # ["bench/r1-web-pod.yaml", "course/myapp-pod.yaml", ...]
    sc = podsim.load(podsim.examples.path("course/myapp-pod-6m.yaml"))
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["root", "names", "path"]


def root() -> Path:
    """The folder of the example scenarios. Raises FileNotFoundError when this podsim has none."""
    here = Path(__file__).resolve().parent / "examples"
    if here.is_dir():
        return here
    raise FileNotFoundError(f"{here}: this podsim has no example scenarios (build it with CMake or pip install it)")


def names(folder: str | None = None) -> list[str]:
    """The example scenarios as paths relative to ``root()`` (``"course/myapp-pod.yaml"``), sorted; only
    those under ``folder`` (e.g. ``"rules"``) if given."""
    base = root() if folder is None else root() / folder
    return sorted(p.relative_to(root()).as_posix() for p in base.rglob("*.yaml"))


def path(name: str) -> Path:
    """The file of one example scenario, by its name in ``names()`` (``.yaml`` may be left out).

    Raises FileNotFoundError naming the close matches when there is no such example.
    """
    p = root() / name
    if not p.exists() and not name.endswith((".yaml", ".yml")):
        p = root() / f"{name}.yaml"
    if not p.is_file():
        stem = Path(name).stem
        near = [n for n in names() if stem in n]
        raise FileNotFoundError(f"no example scenario {name!r}" + (f"; did you mean {', '.join(near)}?" if near else
                                                                   "; podsim.examples.names() lists them"))
    return p
