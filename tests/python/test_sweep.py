"""Sweeps: variants x seeds on C++ threads, equal to the CLI's runs; failing runs; Dask (interface.md §3, §4)."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import podsim

KUBELET_CRASHLOOP = "scenarios/rules/crashloop-kubelet-timing.yaml"
RUN_PATH = "spec.behaviors.crashloop.app.run"


def _cli_csv(podsim_cli, *args) -> str:
    return subprocess.run([str(podsim_cli), "sweep", *map(str, args)], capture_output=True, text=True, check=True).stdout


def test_a_sweep_has_one_row_per_seed_equal_to_the_cli_sweep_csv(repo, podsim_cli):
    # R1 in kubelet timing: PLEG relist and worker jitter (§10) make every seed's figures its own.
    f = repo / "scenarios/bench/r1-web-pod.yaml"
    df = podsim.sweep(f, {"spec.timing": "kubelet"}, seeds="1..10000", progress=False)
    assert len(df) == 10_000 and list(df["seed"]) == list(range(1, 10_001))
    assert df["error"].isna().all()
    cli = pd.read_csv(io.StringIO(_cli_csv(podsim_cli, f, "--seeds", "1..10000",
                                           "--set", "spec.timing=kubelet")))
    assert list(cli.columns) == [c for c in df.columns if c not in ("variant", "duration", "events")]
    for c in cli.columns:
        if c == "error":
            assert cli[c].isna().all()
        elif cli[c].dtype.kind in "iuf":
            np.testing.assert_array_equal(df[c].astype(float).to_numpy(), cli[c].to_numpy(), err_msg=c)
        else:
            assert df[c].astype(str).tolist() == cli[c].astype(str).tolist(), c
    # the seeds really differ (otherwise the comparison proves little)
    assert df["web.readyTime"].nunique() > 100


def test_a_sweeps_rows_equal_single_runs_with_the_same_seeds(repo):
    sc = podsim.load(repo / KUBELET_CRASHLOOP)
    df = podsim.sweep(sc, seeds=[3, 99, 12345], progress=False)
    for seed, row in zip([3, 99, 12345], df.to_dict("records")):
        pod = sc.run(seed=seed, trace=False).summary().iloc[0]
        assert row["crashloop.restarts"] == pod["restarts"]
        assert row["crashloop.readyTime"] == pod["readyTime"]
        assert row["crashloop.timeToReady"] == pod["timeToReady"]
        assert row["crashloop.status"] == pod["status"] and row["crashloop.phase"] == pod["phase"]


def test_variants_are_the_product_of_values_with_their_parameters_in_typed_columns_durations_in_seconds(repo):
    # ideal timing: a run of R s restarts at R, then 2R+10, 3R+30 ... (§8.3), so 20 s runs restart less often
    df = podsim.sweep(repo / "scenarios/rules/crashloop-always.yaml",
                      {RUN_PATH: ["5s", "20s"], "spec.duration": ["1m", "2m"]}, seeds=[1, 2], progress=False)
    assert len(df) == 8
    assert df[[RUN_PATH, "spec.duration", "seed"]].values.tolist() == [
        [5, 60, 1], [5, 60, 2], [5, 120, 1], [5, 120, 2], [20, 60, 1], [20, 60, 2], [20, 120, 1], [20, 120, 2]]
    assert df[RUN_PATH].dtype == np.float64 and df["spec.duration"].dtype == np.float64
    assert list(df["variant"]) == [0, 0, 1, 1, 2, 2, 3, 3]
    # 5 s runs, 1 min: restarts at 5, 20, 45; 2 min: and 90. 20 s runs: 20, 50 in 1 min; and 90 in 2 min.
    assert list(df["crashloop.restarts"]) == [3, 3, 4, 4, 2, 2, 3, 3]
    assert list(df["duration"]) == [60, 60, 120, 120, 60, 60, 120, 120]
    # the same variants as PATH=VALUE strings (VALUE as YAML text, as with podsim sweep --set)
    same = podsim.sweep(repo / "scenarios/rules/crashloop-always.yaml",
                        [[f"{RUN_PATH}={r}", f"spec.duration={d}"] for r in ("5s", "20s") for d in ("1m", "2m")],
                        seeds=[1, 2], progress=False)
    pd.testing.assert_frame_equal(same, df)


def test_a_failing_variant_fills_its_rows_error_and_the_sweep_goes_on(repo):
    df = podsim.sweep(repo / "scenarios/rules/crashloop-always.yaml",
                      [{RUN_PATH: "5s"}, {RUN_PATH: "soon"}, {"pods.ghost.spec.restartPolicy": "Never"}, {RUN_PATH: "20s"}],
                      seeds=[1, 2], progress=False)
    assert len(df) == 8
    ok = df["error"].isna()
    assert ok.tolist() == [True, True, False, False, False, False, True, True]
    assert df.loc[2, "error"].startswith("<string>") or RUN_PATH[5:] in df.loc[2, "error"]
    assert "spec.behaviors.crashloop.app.run" in df.loc[2, "error"]
    assert "pods.ghost" in df.loc[4, "error"]
    assert df.loc[~ok, "crashloop.restarts"].isna().all() and df.loc[~ok, "crashloop.phase"].isna().all()
    assert df.loc[ok, "crashloop.restarts"].notna().all()


def test_python_m_podsim_sweep_writes_the_same_csv_as_podsim_sweep(repo, podsim_cli, tmp_path):
    f = repo / KUBELET_CRASHLOOP
    args = [f, "--seeds", "5..25", "--set", f"{RUN_PATH}=5s", "--set", f"{RUN_PATH}=30s", "--set", "spec.duration=10m"]
    cli = _cli_csv(podsim_cli, *args)
    out = tmp_path / "py.csv"
    subprocess.run([sys.executable, "-m", "podsim", "sweep", *map(str, args), "-o", str(out)], check=True)
    assert out.read_text() == cli


def test_python_m_podsim_sweep_exits_2_on_bad_input(repo, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {restartPolicy: Sometimes, containers: []}\n")
    p = subprocess.run([sys.executable, "-m", "podsim", "sweep", str(bad), "--seeds", "1..2"], capture_output=True, text=True)
    assert p.returncode == 2 and f"{bad}:4:" in p.stderr and "spec.restartPolicy" in p.stderr


def test_a_dask_sweep_over_a_local_cluster_of_two_processes_returns_the_same_rows(repo):
    import distributed
    sc = podsim.load(repo / KUBELET_CRASHLOOP)
    variants = {RUN_PATH: ["5s", "30s", "bad"]}
    local = podsim.sweep(sc, variants, seeds="1..30", progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        remote = podsim.sweep(sc, variants, seeds="1..30", client=client, chunk_size=7, progress=False)
        # the chunks really ran in the worker processes
        assert len(client.scheduler_info()["workers"]) == 2
    pd.testing.assert_frame_equal(remote, local)
    assert local["error"].notna().sum() == 30  # the bad variant's rows


def test_a_sweep_runs_with_the_gil_released_so_python_threads_go_on(repo):
    import threading
    ticks = 0
    stop = threading.Event()

    def count():
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            stop.wait(0.001)

    t = threading.Thread(target=count)
    t.start()
    try:
        before = ticks
        df = podsim.sweep(repo / "scenarios/bench/r1-web-pod.yaml", {"spec.timing": "kubelet"}, seeds=3000,
                          progress=False)
        during = ticks - before
    finally:
        stop.set()
        t.join()
    assert len(df) == 3000 and df["error"].isna().all()
    assert during >= 5  # the thread kept running while the C++ threads worked


def test_a_progress_bar_shows_the_runs_done_when_asked(repo, capsys):
    df = podsim.sweep(repo / "scenarios/rules/crashloop-always.yaml", seeds=50, progress=True)
    err = capsys.readouterr().err
    assert len(df) == 50
    assert "50/50" in err and "run" in err  # tqdm's bar on stderr


def test_a_sweep_job_refuses_a_result_before_it_started():
    from podsim import _core
    job = _core.SweepJob("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: [{name: a, image: b}]}\n",
                         "<string>", [[]], [1], 1)
    with pytest.raises(RuntimeError, match="not started"):
        job.result()
    job.start()
    assert job.wait(60.0) and job.total == 1 and job.done == 1
    assert job.result()["error"] == [""]


TWO_WEBS = """\
apiVersion: podsim/v1alpha1
kind: Scenario
metadata: {name: two-webs}
spec: {duration: 2m, timing: kubelet}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: a}
spec:
  containers: [{name: app, image: nginx:1.25}]
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: a}
spec:
  containers: [{name: app, image: nginx:1.25}]
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: b}
spec:
  restartPolicy: Never
  containers: [{name: app, image: busybox:1.36, command: [sh, -c, 'sleep 5; exit 1']}]
"""


def _same_values(df: pd.DataFrame, cli: pd.DataFrame) -> None:
    for c in cli.columns:
        if c == "error":
            assert df[c].isna().tolist() == cli[c].isna().tolist()
        elif cli[c].dtype.kind in "iuf":
            np.testing.assert_array_equal(df[c].astype(float).to_numpy(), cli[c].to_numpy(), err_msg=c)
        else:
            assert df[c].astype(object).where(df[c].notna(), None).tolist() == \
                cli[c].astype(object).where(cli[c].notna(), None).tolist(), c


def test_the_cli_csv_names_pods_of_one_name_in_two_namespaces_namespace_slash_name_as_python(podsim_cli, tmp_path):
    f = tmp_path / "two-webs.yaml"
    f.write_text(TWO_WEBS)
    df = podsim.sweep(f, seeds=5, progress=False)
    cli = pd.read_csv(io.StringIO(_cli_csv(podsim_cli, f, "--seeds", "5")))
    assert list(cli.columns) == [c for c in df.columns if c not in ("variant", "duration", "events")]
    # web is in a and b: namespace/name; db is in one namespace: its bare name
    assert [c for c in cli.columns if c.endswith(".status")] == ["a/web.status", "db.status", "b/web.status"]
    _same_values(df, cli)
    assert df["b/web.status"].astype(str).tolist() != df["a/web.status"].astype(str).tolist()


METRIC_NAMES = ["restarts", "timeIn", "events", "probeFailures", "timeToReady", "timeToInitialized",
                "timeToFirstRestart", "fractionReady", "phase", "status"]


def test_cli_metrics_are_the_same_figures_as_python_metrics_for_the_same_seeds(repo, podsim_cli, tmp_path):
    f = repo / KUBELET_CRASHLOOP
    args = [f, "--seeds", "1..6", "--set", f"{RUN_PATH}=5s", "--set", f"{RUN_PATH}=20s"]
    for m in METRIC_NAMES:
        args += ["--metric", m]
    cli = pd.read_csv(io.StringIO(_cli_csv(podsim_cli, *args)))
    df = podsim.sweep(f, {RUN_PATH: ["5s", "20s"]}, seeds=6, metrics=METRIC_NAMES, progress=False)
    assert list(cli.columns) == [c for c in df.columns if c != "variant"]  # the same columns in the same order
    assert cli[RUN_PATH].tolist() == ["5s"] * 6 + ["20s"] * 6 and (df[RUN_PATH] == cli[RUN_PATH].map(
        lambda s: float(s[:-1]))).all()
    _same_values(df, cli.drop(columns=[RUN_PATH]))
    assert any(c.endswith(".timeIn:CrashLoopBackOff") for c in cli.columns)
    assert cli.filter(like=".timeIn:").to_numpy().sum() > 0 and cli.filter(like=".restarts").to_numpy().sum() > 0


def test_podsim_sweep_help_documents_the_metric_vocabulary(repo, podsim_cli):
    text = subprocess.run([str(podsim_cli), "sweep", "--help"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "docs/metrics.md" in flat and "timeIn:CrashLoopBackOff" in flat and "events:BackOff" in flat
    documented = set(re.findall(r"^\| `(\w+)", (repo / "docs/metrics.md").read_text(), re.M))
    assert documented == set(METRIC_NAMES)
    for m in METRIC_NAMES:
        assert re.search(rf"\b{m}\b", flat), m
