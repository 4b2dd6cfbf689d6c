"""Frames any data tool reads (issue 15): one type per column, strings categorical, the pod as namespace/name,
every frame round-trips through Parquet; designs as data; seeds mean the same in Python and on the CLI;
a Run pickles; bad seeds name the argument."""

from __future__ import annotations

import io
import pickle
import subprocess

import numpy as np
import pandas as pd
import pytest

import podsim
from frames import assert_parquet_round_trip, assert_same_frame

CRASHLOOP = "scenarios/rules/crashloop-always.yaml"
RUN_PATH = "spec.behaviors.crashloop.app.run"
TWO_NAMESPACES = """\
apiVersion: podsim/v1alpha1
kind: Scenario
metadata: {name: two-webs}
spec: {duration: 2m}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: a}
spec:
  containers: [{name: app, image: nginx:1.25}]
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: b}
spec:
  restartPolicy: Never
  containers: [{name: app, image: busybox:1.36}]
"""


@pytest.mark.parametrize("name", ["course/myapp-pod-services.yaml", "rules/crashloop-always.yaml",
                                  "lifecycle/update-image.yaml", "nodes/node-failure-eviction.yaml"])
def test_every_frame_of_a_run_round_trips_through_parquet_with_the_pod_as_namespace_slash_name(repo, name):
    run = podsim.load(repo / "scenarios" / name).run(seed=2)
    for frame in (run.trace(), run.intervals(), run.summary(), run.kubectl(run.duration / 2)):
        assert_parquet_round_trip(frame)
        pods = frame["pod"].dropna().astype(str)
        assert len(pods) and pods.str.contains("/").all()
        strings = [c for c in frame.columns if frame[c].dtype == object]
        assert not strings, strings  # every string column is categorical


def test_the_trace_splits_ready_into_a_container_bool_and_the_pods_n_of_m(repo):
    tr = podsim.load(repo / CRASHLOOP).run().trace()
    assert tr["ready"].dtype == "boolean" and isinstance(tr["podReady"].dtype, pd.CategoricalDtype)
    cs, ps = tr[tr["type"] == "ContainerStatus"], tr[tr["type"] == "PodStatus"]
    assert cs["ready"].notna().all() and cs["podReady"].isna().all()
    assert ps["ready"].isna().all() and set(ps["podReady"]) == {"0/1", "1/1"}
    assert set(ps["condition.Ready"].dropna()) == {"True", "False"} and ps["condition.PodScheduled"].dropna().eq("True").all()
    restarted = cs[cs["restartCount"] > 0]
    assert (restarted["lastState.state"] == "terminated").all() and (restarted["lastState.exitCode"] == 1).all()


def test_sweep_frames_round_trip_through_parquet_in_both_layouts_and_through_out(repo, tmp_path):
    for layout in podsim.LAYOUTS:
        df = podsim.sweep(repo / CRASHLOOP, {RUN_PATH: ["5s", "20s"], "spec.timing": ["ideal", "kubelet"]},
                          seeds=3, layout=layout, progress=False)
        assert_parquet_round_trip(df)
        assert isinstance(df["spec.timing"].dtype, pd.CategoricalDtype) and df[RUN_PATH].dtype == np.float64
    path = podsim.sweep(repo / CRASHLOOP, {RUN_PATH: ["5s", "20s"]}, seeds=3, progress=False, out=tmp_path / "runs")
    assert_same_frame(podsim.sweep(repo / CRASHLOOP, {RUN_PATH: ["5s", "20s"]}, seeds=3, progress=False),
                      pd.read_parquet(path))


def test_a_sweep_keeps_pods_of_the_same_name_in_two_namespaces_apart():
    sc = podsim.load(TWO_NAMESPACES)
    assert sc.pods == ["a/web", "b/web"]
    wide = podsim.sweep(sc, seeds=2, progress=False)
    assert {"a/web.status", "b/web.status"} <= set(wide.columns) and "web.status" not in wide.columns
    long = podsim.sweep(sc, seeds=2, layout="pods", progress=False)
    assert list(long["pod"]) == ["a/web", "b/web", "a/web", "b/web"]
    assert list(long["seed"]) == [1, 1, 2, 2]
    # the pods differ: nginx keeps running, busybox with restartPolicy Never completes
    summary = sc.run(seed=1, trace=False).summary().set_index("pod")
    for pod in ("a/web", "b/web"):
        row = long[(long["pod"] == pod) & (long["seed"] == 1)].iloc[0]
        assert row["status"] == summary.loc[pod, "status"] and row["phase"] == summary.loc[pod, "phase"]
        assert wide.loc[0, f"{pod}.status"] == row["status"]


def test_seeds_three_is_seeds_one_to_three_in_python_and_on_the_command_line(repo, podsim_cli):
    f = repo / "scenarios/rules/crashloop-kubelet-timing.yaml"
    py = podsim.sweep(f, seeds=3, progress=False)
    assert list(py["seed"]) == [1, 2, 3]
    for spec in (3, "3", "1..3", "1,2,3", [1, 2, 3], range(1, 4)):
        assert list(podsim.sweep(f, seeds=spec, progress=False)["seed"]) == [1, 2, 3], spec
    for spec in ("3", "1..3", "1,2,3"):
        cli = pd.read_csv(io.StringIO(subprocess.run([str(podsim_cli), "sweep", str(f), "--seeds", spec],
                                                     capture_output=True, text=True, check=True).stdout))
        assert list(cli["seed"]) == [1, 2, 3], spec
        np.testing.assert_array_equal(cli["crashloop.readyTime"].to_numpy(), py["crashloop.readyTime"].to_numpy())
    bad = subprocess.run([str(podsim_cli), "sweep", str(f), "--seeds", "0"], capture_output=True, text=True)
    assert bad.returncode == 2
    assert bad.stderr == ('error: <command line>:0:0: --seeds: Invalid value: "0": N must be at least 1 '
                          '(N means the seeds 1..N)\n')
    with pytest.raises(ValueError, match=r"^seeds=0: give a positive count N"):
        podsim.sweep(f, seeds=0, progress=False)


def test_a_negative_seed_is_a_value_error_naming_the_argument(repo):
    sc = podsim.load(repo / CRASHLOOP)
    with pytest.raises(ValueError) as e:
        sc.run(seed=-1)
    assert str(e.value) == "seed=-1: a seed is an integer in [0, 2**64)"
    with pytest.raises(TypeError, match="^seed must be an integer"):
        sc.run(seed=1.5)
    with pytest.raises(ValueError, match=r"^seeds=-1: a seed is an integer"):
        podsim.sweep(sc, seeds=[1, -1], progress=False)


def test_a_run_pickles_by_running_again_with_the_same_trace(repo):
    run = podsim.load(repo / "scenarios/course/myapp-pod-6m.yaml").run(seed=7, duration="3m")
    copy = pickle.loads(pickle.dumps(run))
    assert (copy.seed, copy.duration_ns, copy.has_trace) == (7, 180 * 10**9, True)
    assert copy.jsonl() == run.jsonl()
    light = pickle.loads(pickle.dumps(podsim.load(repo / CRASHLOOP).run(trace=False)))
    assert not light.has_trace


def test_a_scenario_loaded_from_a_file_is_self_contained_its_manifests_inlined(repo, tmp_path, monkeypatch):
    sc = podsim.load(repo / "scenarios/course/myapp-pod-6m.yaml")  # spec.manifests: [myapp-pod.yaml]
    assert "kind: Pod" in sc.portable_text and "kind: Pod" not in sc.text
    monkeypatch.chdir(tmp_path)
    elsewhere = podsim.load(sc.portable_text, label="/nowhere/myapp-pod-6m.yaml")
    assert elsewhere.run().jsonl() == sc.run().jsonl()
    assert pickle.loads(pickle.dumps(sc)).run().jsonl() == sc.run().jsonl()
    # overrides on a loaded scenario keep it self-contained
    assert podsim.load(sc, {"spec.duration": "1m"}).portable_text.count("kind: Pod") == 1


def test_designs_are_typed_seeded_and_sweep_as_variants_with_short_names(repo):
    g = podsim.design.grid({"run": ["5s", "20s"], "timing": ["ideal", "kubelet"]})
    assert g.values.tolist() == [["5s", "ideal"], ["5s", "kubelet"], ["20s", "ideal"], ["20s", "kubelet"]]
    space = {"run": ("1s", "30s"), "period": (1, 10), "timing": ["ideal", "kubelet"]}
    for make in (podsim.design.random, podsim.design.latin_hypercube):
        d = make(space, 40, seed=3)
        pd.testing.assert_frame_equal(d, make(space, 40, seed=3))  # seeded: the same table again
        assert not d.equals(make(space, 40, seed=4))
        assert d["run"].between(1, 30).all() and d["period"].between(1, 10).all()
        assert d["run"].dtype == np.float64 and d["period"].dtype == np.int64
        assert isinstance(d["timing"].dtype, pd.CategoricalDtype)
    lhs = podsim.design.latin_hypercube({"x": (0.0, 1.0)}, 10, seed=1)
    assert sorted(np.floor(lhs["x"] * 10).astype(int)) == list(range(10))  # one sample per stratum
    params = {"run": RUN_PATH, "timing": "spec.timing"}
    d = podsim.design.latin_hypercube({"run": ("2s", "30s"), "timing": ["ideal", "kubelet"]}, 6, seed=1)
    df = podsim.sweep(repo / CRASHLOOP, d, seeds=2, params=params, progress=False)
    assert list(df.columns[:4]) == ["run", "timing", "variant", "seed"] and len(df) == 12
    np.testing.assert_allclose(df["run"].to_numpy()[::2], d["run"].to_numpy())
    assert df["error"].isna().all()
    # each row is the run of its variant: the same as loading that variant by hand
    one = podsim.load(repo / CRASHLOOP, {RUN_PATH: float(d["run"][3]), "spec.timing": str(d["timing"][3])})
    assert df.loc[7, "crashloop.restarts"] == one.run(seed=2, trace=False).summary().iloc[0]["restarts"]


def test_a_design_with_a_null_cell_keeps_the_scenarios_value(repo):
    d = pd.DataFrame({"spec.duration": ["1m", None]})
    df = podsim.sweep(repo / CRASHLOOP, d, progress=False)
    assert list(df["duration"]) == [60, podsim.load(repo / CRASHLOOP).duration]
    assert df.loc[0, "spec.duration"] == 60.0 and np.isnan(df.loc[1, "spec.duration"])


def test_summary_categoricals_share_cached_dtypes_without_leaking_changes():
    """Run.summary() reuses one CategoricalDtype per category list (its speed-up); a frame changed by the user
    (categories added, values set) leaves the next summary as it was."""
    sc = podsim.load(CRASHLOOP)
    first = sc.run(seed=1).summary()
    again = sc.run(seed=1).summary()
    assert_same_frame(first, again)
    assert first["status"].dtype is again["status"].dtype
    first["status"] = first["status"].cat.add_categories(["Mine"])
    first.loc[0, "status"] = "Mine"
    third = sc.run(seed=1).summary()
    assert_same_frame(again, third)
    assert "Mine" not in list(third["status"].cat.categories)
    assert_parquet_round_trip(third)
