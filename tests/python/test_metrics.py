"""podsim.sweep(metrics=...): the C++ metrics accumulator through the binding, wide and tidy, and
Run.summary()'s phase times computed in C++ (tests/test_metrics.cpp checks the figures themselves)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import podsim

R1 = "scenarios/bench/r1-web-pod.yaml"


@pytest.fixture(scope="module")
def r1(repo):
    return podsim.load(repo / R1)


def test_wide_metrics_have_one_column_per_pod_or_container_metric(r1):
    df = podsim.sweep(r1, seeds=2, metrics=["restarts", "timeIn", "events", "status"], progress=False)
    assert list(df["seed"]) == [1, 2]
    assert df["default/web.restarts"].tolist() == [14.0, 14.0]
    assert df["default/web.app.restarts"].tolist() == [14.0, 14.0]
    assert df["default/web.timeIn:CrashLoopBackOff"].tolist() == [2710.0, 2710.0]
    assert df["default/web.events:BackOff"].tolist() == [39.0, 39.0]
    assert df["default/web.status"].astype(str).tolist() == ["Running", "Running"]
    pod_time = df.filter(regex=r"^default/web\.timeIn:").sum(axis=1)
    assert pod_time.tolist() == [3600.0, 3600.0]  # one STATUS at every instant of the hour
    assert df["error"].isna().all()


def test_wide_metrics_agree_with_the_default_sweep(r1):
    seeds = [1, 2, 3]
    m = podsim.sweep(r1, seeds=seeds, metrics=["restarts", "timeToReady", "timeToInitialized", "fractionReady"],
                     progress=False)
    d = podsim.sweep(r1, seeds=seeds, progress=False)
    pod = d.filter(like=".restarts").columns[0].rsplit(".", 1)[0]
    assert m["default/web.restarts"].tolist() == d[f"{pod}.restarts"].astype(float).tolist()
    assert np.allclose(m["default/web.timeToReady"], d[f"{pod}.timeToReady"])
    assert np.allclose(m["default/web.timeToInitialized"], d[f"{pod}.timeToInitialized"])
    assert np.allclose(m["default/web.fractionReady"], d[f"{pod}.fractionReady"])


def test_tidy_metrics_have_one_row_per_run_pod_container_and_metric(r1):
    t = podsim.sweep(r1, {"spec.behaviors.web.app.run": ["30s", "60s"]}, seeds=1, metrics=["restarts", "phase"],
                     tidy=True, progress=False)
    assert list(t.columns) == ["spec.behaviors.web.app.run", "variant", "seed", "pod", "container", "metric", "value",
                               "text"]
    assert set(t["pod"]) == {"default/web"}
    pod_rows = t[t["container"].isna()]
    assert set(pod_rows["metric"]) == {"restarts", "phase"}
    phase = pod_rows[pod_rows["metric"] == "phase"]
    assert phase["text"].astype(str).tolist() == ["Running", "Running"] and phase["value"].isna().all()
    app = t[(t["container"] == "app") & (t["metric"] == "restarts")]
    assert app["spec.behaviors.web.app.run"].tolist() == [30.0, 60.0]  # durations: typed, in seconds
    assert app["value"].iloc[0] > app["value"].iloc[1]  # a shorter run crashes more often
    for col in ("pod", "container", "metric", "text"):
        assert isinstance(t[col].dtype, pd.CategoricalDtype)


def test_an_unknown_metric_is_a_scenario_error_naming_the_supported_values(r1):
    with pytest.raises(podsim.ScenarioError, match=r'metrics: Unsupported value: "restart": supported values: '
                                                   r'"restarts", "timeIn"'):
        podsim.sweep(r1, seeds=1, metrics=["restart"], progress=False)


def test_a_bad_variant_fills_its_rows_error_and_the_sweep_goes_on(r1):
    df = podsim.sweep(r1, [{"pods.web.spec.containers[app].livenessProbe.successThreshold": 2}, {}], seeds=1,
                      metrics=["restarts"], progress=False)
    assert "must be 1" in df["error"].iloc[0]
    assert math.isnan(df["default/web.restarts"].iloc[0])
    assert df["default/web.restarts"].iloc[1] == 14.0


def test_summary_phase_times_come_from_cpp_and_cover_the_run(r1):
    s = r1.run().summary()
    pod = s[s["container"].isna()].iloc[0]
    assert pod["phasePending"] + pod["phaseRunning"] == 3600.0
    assert pod["phasePending"] == 20.0
