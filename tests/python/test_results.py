"""Results of one run as DataFrames: trace, intervals, summary metrics, the kubectl view (interface.md §2, §4).

Checked against kubelet rules on scenarios whose outcome is known (kubelet-semantics §3, §8.3).
"""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import podsim

from frames import assert_parquet_round_trip

CRASHLOOP = "scenarios/rules/crashloop-always.yaml"
REPO = Path(__file__).resolve().parents[2]
CONDITIONS = [f"condition.{c}" for c in podsim.CONDITION_TYPES]
LAST_STATE = ["lastState.state", "lastState.reason", "lastState.exitCode", "lastState.startedAt", "lastState.finishedAt",
              "lastState.message"]
TRACE_COLUMNS = ["t", "t_ns", "type", "pod", "container", "containerType", "image", "state", "reason", "exitCode",
                 "startedAt", "finishedAt", "restartCount", "started", "ready", "podReady", "phase", "status",
                 "restarts", "node", *CONDITIONS, "message", "eventType", "fieldPath", "action", "arguments",
                 "stopSignal", *LAST_STATE, "rule", "stream", "text", "hook"]
#: The JSON trace's fields that the frame splits or flattens (one type per column, no dicts).
SPLIT = {"conditions", "lastState", "ready"}


@pytest.fixture(scope="module")
def crashloop(repo):
    return podsim.load(repo / CRASHLOOP).run()


def _null(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


SCENARIOS = sorted(str(p.relative_to(REPO)) for p in (REPO / "scenarios").rglob("*.yaml"))


def test_the_trace_dataframe_has_the_contracts_columns_and_the_cli_prints_the_same_trace(repo, podsim_cli):
    f = repo / "scenarios/course/myapp-pod-services.yaml"
    run = podsim.load(f).run()
    assert list(run.trace().columns) == TRACE_COLUMNS
    cli = subprocess.run([str(podsim_cli), "run", str(f), "--output", "jsonl"], capture_output=True, text=True,
                         check=True).stdout
    assert run.jsonl() == cli


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_field_of_the_jsonl_trace_is_in_the_trace_dataframe(repo, name):
    # interface.md §2: the DataFrame is the JSON-lines trace as a table, field for field.
    run = podsim.load(repo / name).run()
    df = run.trace()
    records = [json.loads(line) for line in run.jsonl().splitlines()]
    assert len(records) == len(df)
    for rec, row in zip(records, df.to_dict("records")):
        assert row["t_ns"] == round(rec["t"] * 1e9)
        expected = {}
        for key, want in rec.items():
            if key == "ready":  # a bool in a ContainerStatus, "N/M" in a PodStatus
                expected["podReady" if rec["type"] == "PodStatus" else "ready"] = want
            elif key == "conditions":
                expected.update({f"condition.{k}": v for k, v in want.items()})
            elif key == "lastState":
                expected.update({f"lastState.{k}": v for k, v in (want or {}).items()})
            elif key in TRACE_COLUMNS:
                expected[key] = want
        # an Action's arguments: JSON text of fields of the record (some, e.g. container, also have a column)
        extra = {k for k in rec if k not in TRACE_COLUMNS and k not in SPLIT}
        if rec["type"] == "Action" and not _null(row["arguments"]):
            args = json.loads(row["arguments"])
            assert extra <= set(args) and all(rec[k] == v for k, v in args.items()), rec
        else:
            assert not extra and _null(row["arguments"]), rec
        for key, want in expected.items():
            got = row[key]
            if want is None:
                assert _null(got), (key, rec, got)
            else:
                assert got == want, (key, rec, got)
        # and nothing more: a field the record lacks is null in its row
        for key in TRACE_COLUMNS:
            if key not in expected and key not in ("t_ns", "arguments"):
                assert _null(row[key]), (key, rec, row[key])
    assert_parquet_round_trip(df)


def test_intervals_of_a_crash_loop_follow_the_backoff_0_10_20_40_80_160_300_300(crashloop):
    # kubelet-semantics §8.3: 5 s runs; restarts at once, then 10 s doubling to 300 s, from each exit.
    iv = crashloop.intervals()
    assert list(iv.columns) == ["pod", "container", "containerType", "state", "reason", "start", "end", "duration",
                                "start_ns", "end_ns", "restartCount", "exitCode"]
    running = iv[iv["state"] == "running"]
    np.testing.assert_array_equal(running["start"], [0, 5, 20, 45, 90, 175, 340, 645, 950])
    np.testing.assert_array_equal(running["duration"], [5] * 9)
    np.testing.assert_array_equal(running["restartCount"], range(9))
    exits = running["end"].to_numpy()
    waits = running["start"].to_numpy()[1:] - exits[:-1]
    np.testing.assert_array_equal(waits, [0, 10, 20, 40, 80, 160, 300, 300])
    # each wait of 10 s or more shows Error at the exit, then CrashLoopBackOff until the restart (§8.6)
    backoff = iv[iv["reason"] == "CrashLoopBackOff"]
    assert (backoff["state"] == "waiting").all()
    np.testing.assert_array_equal(backoff["end"], [20, 45, 90, 175, 340, 645, 950, 1200])  # the last: the end of the run
    # in timing ideal each exit is followed at the same instant by the restart or the back-off, so the
    # terminated state lasts no time and opens no interval; the trace has it, exit code 1 (§8.2)
    assert (iv["state"] != "terminated").all()
    tr = crashloop.trace()
    term = tr[(tr["type"] == "ContainerStatus") & (tr["state"] == "terminated")]
    np.testing.assert_array_equal(term["t"], exits)
    assert set(term["reason"]) == {"Error"} and (term["exitCode"] == 1).all()
    assert (iv["start_ns"] == (iv["start"] * 1e9).round().astype("int64")).all()
    np.testing.assert_array_equal(crashloop.restart_times("crashloop", "app"), [5, 20, 45, 90, 175, 340, 645, 950])


def test_summary_of_a_crash_loop_has_restarts_time_per_state_fraction_ready_and_phase(crashloop):
    s = crashloop.summary()
    pod = s[s["container"].isna()].iloc[0]
    app = s[s["container"] == "app"].iloc[0]
    assert pod["pod"] == "default/crashloop" and pod["phase"] == "Running"
    assert pod["status"] == "CrashLoopBackOff" and pod["podReady"] == "0/1" and pod["restarts"] == 8
    assert pod["timeToInitialized"] == 0.0  # no init containers: Initialized at once (§3)
    assert pod["timeToReady"] == 0.0        # no readiness probe: ready once running (§7)
    assert pod["readyTime"] == 45.0         # nine runs of 5 s
    assert pod["fractionReady"] == pytest.approx(45 / 1200)
    assert app["restarts"] == 8 and app["state"] == "waiting" and app["reason"] == "CrashLoopBackOff"
    assert app["timeRunning"] == 45.0
    assert app["timeWaiting"] + app["timeRunning"] + app["timeTerminated"] == pytest.approx(1200.0)
    assert app["timeToStarted"] == 0.0 and app["fractionReady"] == pytest.approx(45 / 1200)
    # the phase is Running from the first start on: a crash loop under Always never leaves it (§1.2)
    assert pod["phasePending"] == 0.0 and pod["phaseRunning"] == 1200.0 and pod["phaseFailed"] == 0.0


def test_summary_of_init_containers_waiting_for_services_gives_time_to_initialized_after_the_second_service(repo):
    # myservice at 30 s, mydb at 60 s; each init container polls nslookup every 2 s (§3: one at a time).
    run = podsim.load(repo / "scenarios/course/myapp-pod-services.yaml").run()
    s = run.summary()
    pod = s[s["container"].isna()].iloc[0]
    assert 60 <= pod["timeToInitialized"] <= 64
    assert pod["timeToInitialized"] <= pod["timeToReady"] <= 75
    assert pod["phase"] == "Running" and pod["restarts"] == 0
    # Pending while the init containers run, Running from the app's start (§1.2)
    assert pod["phasePending"] + pod["phaseRunning"] == pytest.approx(180.0)
    assert pod["timeToInitialized"] <= pod["phasePending"] <= pod["timeToReady"]
    init = s[s["containerType"] == "init"].set_index("container")
    assert list(init["state"]) == ["terminated", "terminated"]
    assert list(init["reason"]) == ["Completed", "Completed"]
    # the first init container finishes after myservice (30 s), the second waits for it and for mydb
    iv = run.intervals()
    first = iv[(iv["container"] == "init-myservice") & (iv["state"] == "running")].iloc[0]
    second = iv[(iv["container"] == "init-mydb") & (iv["state"] == "running")].iloc[0]
    assert 30 <= first["end"] <= 33 and second["start"] >= first["end"] and 60 <= second["end"] <= 63


def test_kubectl_view_at_a_time_shows_status_ready_restarts_and_age(crashloop, repo):
    k = crashloop.kubectl("15s")  # in the first 10 s wait (§8.3)
    assert list(k.columns) == ["pod", "NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert k.iloc[0].to_dict() == {"pod": "default/crashloop", "NAME": "crashloop", "READY": "0/1", "STATUS": "CrashLoopBackOff",
                                   "RESTARTS": "1 (5s ago)", "AGE": "15s"}  # last exit at 10 s
    assert crashloop.kubectl(22.5).iloc[0]["STATUS"] == "Running"
    run = podsim.load(repo / "scenarios/course/myapp-pod-services.yaml").run()
    assert run.kubectl("20s").iloc[0][["STATUS", "READY"]].tolist() == ["Init:0/2", "0/1"]
    assert run.kubectl("45s").iloc[0][["STATUS", "READY"]].tolist() == ["Init:1/2", "0/1"]
    assert run.kubectl("75s").iloc[0][["STATUS", "READY", "RESTARTS"]].tolist() == ["Running", "1/1", "0"]


def test_a_run_without_trace_keeps_pod_summaries_and_refuses_trace_views(repo):
    run = podsim.load(repo / CRASHLOOP).run(trace=False)
    s = run.summary()
    assert len(s) == 1 and s.iloc[0]["restarts"] == 8
    with pytest.raises(ValueError, match="trace"):
        run.trace()
    with pytest.raises(ValueError, match="trace"):
        run.kubectl(10)


def test_run_duration_argument_shortens_the_run(repo):
    run = podsim.load(repo / CRASHLOOP).run(duration="1m")
    assert run.duration == 60.0
    assert run.summary().iloc[0]["restarts"] == 3  # restarts at 5, 20, 45 s


@pytest.mark.parametrize("name, final, status", [("never-failure", "Failed", "Error"),
                                                  ("onfailure-success", "Succeeded", "Completed")])
def test_summary_time_in_each_phase_of_a_pod_that_finishes(repo, name, final, status):
    # §1.2, §8.7: a container that exits after 10 s, not restarted: Running for 10 s, then Failed (exit
    # code non-zero under Never) or Succeeded (exit 0 under OnFailure) to the end of the minute.
    run = podsim.load(repo / f"scenarios/rules/{name}.yaml").run()
    pod = run.summary().iloc[0]
    assert pod["phase"] == final and pod["status"] == status and pod["restarts"] == 0
    assert pod["phaseRunning"] == 10.0 and pod[f"phase{final}"] == run.duration - 10.0
    assert pod["phasePending"] + pod["phaseRunning"] + pod["phaseSucceeded"] + pod["phaseFailed"] == run.duration
