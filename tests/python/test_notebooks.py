"""The notebooks run from top to bottom without error, from a copy outside the repository, and write their
plots where $PODSIM_IMAGES tells them (so that none rots, and none needs the repository around it).

To refresh the pictures in docs/images: PODSIM_IMAGES=docs/images jupyter nbconvert --execute ... (or run this
test with PODSIM_IMAGES_KEEP=docs/images to copy them there)."""

from __future__ import annotations

import os
import shutil
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
def test_notebook_executes_cleanly_from_a_copy_elsewhere_and_saves_its_plots_where_told(repo, name, tmp_path,
                                                                                       monkeypatch):
    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy(repo / "notebooks" / name, work / name)
    images = tmp_path / "pictures"
    monkeypatch.setenv("PODSIM_IMAGES", str(images))
    nb = nbformat.read(work / name, as_version=4)
    start = time.time()
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(work)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    for image in NOTEBOOKS[name]:
        png = images / image
        assert png.exists() and png.stat().st_mtime >= start - 1, image
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        if os.environ.get("PODSIM_IMAGES_KEEP"):
            shutil.copy(png, repo / os.environ["PODSIM_IMAGES_KEEP"] / image)
    assert sorted(p.name for p in work.iterdir()) == [name]  # nothing written next to the notebook
    # every figure the notebook showed is in its outputs
    shown = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
             if "image/png" in o.get("data", {})]
    assert len(shown) >= len(NOTEBOOKS[name])
