"""Dask a cluster user can trust (issue 15, item 6): a scheduler and two workers started as separate processes
in other directories on 127.0.0.1; the scenario shipped self-contained; every worker's podsim checked first;
a worker that dies mid-sweep has its chunk run again with no row lost or doubled; pandas, Parquet or dask out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import podsim
from frames import assert_same_frame

distributed = pytest.importorskip("distributed")

R1 = "scenarios/bench/r1-web-pod.yaml"
#: A worker whose Python cannot import podsim (as on a machine where it is not installed).
NO_PODSIM = ("import sys; sys.modules['podsim'] = None; sys.argv[0] = 'dask-worker'; "
             "from distributed.cli.dask_worker import main; main()")


class Cluster:
    """A `dask scheduler` and workers, each its own process started in its own directory."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.file = tmp / "scheduler.json"
        self.procs: list[subprocess.Popen] = []
        self.workers: list[subprocess.Popen] = []
        self._start([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                     "--dashboard-address", ":0", "--scheduler-file", str(self.file)], tmp / "scheduler")
        deadline = time.time() + 60
        while not self.file.exists() and time.time() < deadline:
            time.sleep(0.1)
        assert self.file.exists(), "the scheduler did not start"
        self.address = json.loads(self.file.read_text())["address"]

    def _start(self, cmd: list[str], cwd: Path, env: dict | None = None) -> subprocess.Popen:
        cwd.mkdir(parents=True, exist_ok=True)
        p = subprocess.Popen(cmd, cwd=cwd, env=env or os.environ.copy(), stdout=subprocess.DEVNULL,
                             stderr=open(cwd / "log.txt", "w"))
        self.procs.append(p)
        return p

    def worker(self, name: str, podsim_importable: bool = True) -> subprocess.Popen:
        args = ["--nthreads", "1", "--no-nanny", "--host", "127.0.0.1", "--dashboard-address", ":0",
                "--name", name, self.address]
        cmd = [sys.executable, "-m", "distributed.cli.dask_worker", *args] if podsim_importable else \
              [sys.executable, "-c", NO_PODSIM, *args]
        p = self._start(cmd, self.tmp / name)
        self.workers.append(p)
        return p

    def close(self) -> None:
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()


@pytest.fixture
def cluster(tmp_path):
    c = Cluster(tmp_path)
    yield c
    c.close()


def _client(cluster: Cluster, workers: int):
    client = distributed.Client(cluster.address, timeout=30)
    client.wait_for_workers(workers, timeout=60)
    return client


def test_a_sweep_over_two_workers_in_other_directories_equals_the_local_sweep_with_relative_manifests(
        repo, cluster, tmp_path, monkeypatch):
    cluster.worker("w1"), cluster.worker("w2")
    monkeypatch.chdir(repo)
    sc = podsim.load("scenarios/course/myapp-pod-6m.yaml")  # spec.manifests: [myapp-pod.yaml], relative
    variants = {"spec.timing": ["ideal", "kubelet"], "spec.duration": ["1m", "bad"]}
    local = podsim.sweep(sc, variants, seeds=20, progress=False)
    with _client(cluster, 2) as client:
        assert set(podsim.check_workers(client).values()) == {podsim.__version__}
        remote = podsim.sweep(sc, variants, seeds=20, client=client, progress=False)
        ran_on = {w["name"] for w in client.scheduler_info()["workers"].values()}
        long_remote = podsim.sweep(sc, variants, seeds=20, client=client, layout="pods", chunk_size=7,
                                   progress=False)
        out = podsim.sweep(sc, variants, seeds=20, client=client, out=tmp_path / "runs.parquet", progress=False)
        lazy = podsim.sweep(sc, variants, seeds=20, client=client, as_dask=True, progress=False)
        from_dask = lazy.compute().reset_index(drop=True)
    assert ran_on == {"w1", "w2"}
    assert_same_frame(local, remote)
    assert local["error"].notna().sum() == 40 and local["error"].isna().sum() == 40  # "bad" fails to load
    assert local.loc[local["error"].isna(), "myapp-pod.status"].eq("Init:0/2").all()
    assert_same_frame(podsim.sweep(sc, variants, seeds=20, layout="pods", progress=False), long_remote)
    parts = sorted(p.name for p in Path(out).iterdir())
    assert parts and all(p.startswith("part-") and p.endswith(".parquet") for p in parts)
    assert_same_frame(local, pd.read_parquet(out).sort_values(["variant", "seed"], kind="stable").reset_index(drop=True))
    assert_same_frame(local, from_dask)


def test_a_worker_that_dies_mid_sweep_has_its_chunk_run_again_no_row_lost_or_doubled(repo, cluster):
    w1 = cluster.worker("w1")
    cluster.worker("w2")
    variants = {"spec.timing": "kubelet"}
    seeds = "1..60000"
    with _client(cluster, 2) as client:
        futures_done = []
        import threading

        def kill_after_first_chunks():
            deadline = time.time() + 60
            while time.time() < deadline:
                tasks = client.run_on_scheduler(lambda dask_scheduler: sum(  # noqa: E731
                    1 for t in dask_scheduler.tasks.values() if t.state == "memory"))
                if tasks >= 2:
                    w1.kill()
                    futures_done.append(tasks)
                    return
                time.sleep(0.05)

        killer = threading.Thread(target=kill_after_first_chunks)
        killer.start()
        remote = podsim.sweep(repo / R1, variants, seeds=seeds, client=client, chunk_size=3000, progress=False)
        killer.join()
    assert futures_done, "the worker was not killed mid-sweep"
    assert w1.poll() is not None
    local = podsim.sweep(repo / R1, variants, seeds=seeds, progress=False)
    assert len(remote) == 60000 and not remote.duplicated(["variant", "seed"]).any()
    assert_same_frame(local, remote)


def test_a_worker_without_podsim_gives_a_clear_error_within_30_seconds(repo, cluster):
    cluster.worker("good")
    cluster.worker("bare", podsim_importable=False)
    with _client(cluster, 2) as client:
        start = time.time()
        with pytest.raises(RuntimeError) as e:
            podsim.sweep(repo / R1, seeds=10, client=client, progress=False)
        elapsed = time.time() - start
    assert elapsed < 30
    msg = str(e.value)
    assert msg.startswith(f"podsim.sweep: every Dask worker must import podsim {podsim.__version__} (as this client); "
                          "these do not: tcp://127.0.0.1:")
    assert "ModuleNotFoundError" in msg or "ImportError" in msg
    assert msg.count("tcp://") == 1  # only the bare worker is named


def test_a_cluster_that_does_not_answer_is_a_timeout_not_a_hang():
    class Silent:  # a client whose workers never answer
        def run(self, *a, **k):
            time.sleep(3600)

    start = time.time()
    with pytest.raises(TimeoutError, match=r"^podsim.sweep: the Dask workers did not answer within 0.5 s"):
        podsim.check_workers(Silent(), timeout=0.5)
    assert time.time() - start < 5


def test_a_metrics_sweep_over_two_workers_equals_the_local_one_wide_tidy_parquet_and_dask(
        repo, cluster, tmp_path, monkeypatch):
    cluster.worker("w1"), cluster.worker("w2")
    monkeypatch.chdir(repo)
    sc = podsim.load("scenarios/course/myapp-pod-6m.yaml")  # relative spec.manifests
    variants = {"spec.timing": ["ideal", "kubelet"], "spec.duration": ["1m", "bad", "6m"]}
    metrics = ["restarts", "timeIn", "events", "timeToReady", "phase", "status"]
    local = podsim.sweep(sc, variants, seeds=8, metrics=metrics, progress=False)
    local_tidy = podsim.sweep(sc, variants, seeds=8, metrics=metrics, tidy=True, progress=False)
    with _client(cluster, 2) as client:
        # chunks of 5 runs: chunks see different timeIn: and events: keys, merged as the local sweep's
        remote = podsim.sweep(sc, variants, seeds=8, metrics=metrics, client=client, chunk_size=5, progress=False)
        remote_tidy = podsim.sweep(sc, variants, seeds=8, metrics=metrics, tidy=True, client=client, chunk_size=5,
                                   progress=False)
        out = podsim.sweep(sc, variants, seeds=8, metrics=metrics, client=client, chunk_size=5,
                           out=tmp_path / "metrics.parquet", progress=False)
        lazy = podsim.sweep(sc, variants, seeds=8, metrics=metrics, client=client, chunk_size=5, as_dask=True,
                            progress=False)
        from_dask = lazy.compute().reset_index(drop=True)
        lazy_tidy = podsim.sweep(sc, variants, seeds=8, metrics=metrics, tidy=True, client=client, chunk_size=5,
                                 as_dask=True, progress=False)
        tidy_from_dask = lazy_tidy.compute().reset_index(drop=True)
        with pytest.raises(podsim.ScenarioError, match=r'metrics: Unsupported value: "restart"'):
            podsim.sweep(sc, seeds=2, metrics=["restart"], client=client, progress=False)
    assert local["error"].notna().sum() == 16 and local["error"].isna().sum() == 32  # "bad" fails to load
    timein = [c for c in local.columns if ".timeIn:" in c]
    assert len(timein) > 3 and local["default/myapp-pod.status"].notna().any()
    assert_same_frame(local, remote)
    assert_same_frame(local_tidy, remote_tidy)
    assert len(local_tidy) > len(local)
    back = pd.read_parquet(out)
    assert list(back.columns) == list(local.columns)  # every part has every column of the local sweep
    assert_same_frame(local, back.sort_values(["variant", "seed"], kind="stable").reset_index(drop=True))
    assert_same_frame(local, from_dask)
    assert_same_frame(local_tidy, tidy_from_dask)
