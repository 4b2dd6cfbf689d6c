"""The notebooks run from top to bottom without error and write their plots (so that none rots)."""

from __future__ import annotations

import time

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = {
    "pod-lifecycle-course.ipynb": ["course-myapp-pod-services.png", "course-myapp-pod-git-clone.png",
                                   "course-init-oneRun.png", "course-simple-webapp-init.png"],
    "crashloop-backoff.ipynb": ["crashloop-backoff-restarts.png", "crashloop-backoff-waits.png",
                                "crashloop-backoff-kubelet-delay.png"],
    "sweep-availability.ipynb": ["sweep-availability-fraction-ready.png", "sweep-availability-time-to-ready.png"],
}


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_notebook_executes_cleanly_and_saves_its_plots(repo, name):
    path = repo / "notebooks" / name
    nb = nbformat.read(path, as_version=4)
    start = time.time()
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    for image in NOTEBOOKS[name]:
        png = repo / "docs" / "images" / image
        assert png.exists() and png.stat().st_mtime >= start - 1, image
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # every figure the notebook showed is in its outputs
    shown = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
             if "image/png" in o.get("data", {})]
    assert len(shown) >= len(NOTEBOOKS[name])
