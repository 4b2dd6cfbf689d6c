"""Loading scenarios from Python: files, YAML strings, dicts, overrides and bad input (interface.md §1, §4)."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest

import podsim

CRASHLOOP = "scenarios/rules/crashloop-always.yaml"

POD_YAML = """\
apiVersion: v1
kind: Pod
metadata:
  name: hello
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ['sh', '-c', 'sleep 5; exit 1']
"""


def test_a_scenario_file_loads_with_its_scenario_document(repo):
    sc = podsim.load(repo / CRASHLOOP)
    assert sc.name == "crashloop-always"
    assert sc.pods == ["default/crashloop"]
    assert sc.timing == "ideal"
    assert sc.duration == 1200.0 and sc.duration_ns == 1_200_000_000_000
    assert sc.file.endswith("crashloop-always.yaml")
    # str paths work as os.PathLike ones do
    assert podsim.load(str(repo / CRASHLOOP)).text == sc.text


def test_a_plain_pod_manifest_as_yaml_text_is_a_scenario_with_api_defaults():
    sc = podsim.load(POD_YAML)
    assert sc.pods == ["default/hello"]
    assert sc.file == "<string>"
    assert sc.timing == "kubelet"  # spec.timing defaults to kubelet
    # restartPolicy defaults to Always: the container is restarted after it exits
    run = sc.run(duration="30s")
    assert run.summary().loc[0, "restarts"] >= 1


def test_python_dicts_load_as_documents_and_give_the_same_run_as_yaml_text():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "hello"},
           "spec": {"containers": [{"name": "app", "image": "busybox:1.36",
                                    "command": ["sh", "-c", "sleep 5; exit 1"]}]}}
    scenario = {"apiVersion": "podsim/v1alpha1", "kind": "Scenario", "metadata": {"name": "from-dicts"},
                "spec": {"duration": "2m", "timing": "ideal", "images": {"busybox:1.36": {"present": True}}}}
    sc = podsim.load([scenario, pod])
    assert sc.name == "from-dicts" and sc.file == "<dict>" and sc.duration == 120.0
    one = podsim.load(pod, {"spec.duration": "2m", "spec.timing": "ideal", "spec.images[busybox:1.36].present": True})
    assert one.run().jsonl() == sc.run().jsonl()


def test_a_scenario_pickles_as_its_text_and_label(repo):
    sc = podsim.load(repo / CRASHLOOP, {"spec.seed": 7})
    back = pickle.loads(pickle.dumps(sc))
    assert back.text == sc.text and back.file == sc.file and back.seed == 7


def test_override_of_the_seed_changes_the_seed_and_with_kubelet_timing_the_restart_times(repo):
    base = podsim.load(repo / "scenarios/rules/crashloop-kubelet-timing.yaml")
    a = podsim.load(base, {"spec.seed": 11})
    b = podsim.load(base, ["spec.seed=12"])
    assert (a.seed, b.seed) == (11, 12)
    ta, tb = a.run().restart_times("crashloop", "app"), b.run().restart_times("crashloop", "app")
    assert not np.array_equal(ta, tb)  # PLEG relist and worker jitter differ per seed (§10)
    # and the same seed gives the same trace byte for byte
    assert a.run().jsonl() == podsim.load(base, {"spec.seed": 11}).run().jsonl()


def test_override_of_kubelet_maxContainerRestartPeriod_caps_the_backoff_at_30s(repo):
    # kubelet-semantics §8.3: KubeletCrashLoopBackOffMax caps the back-off; waits 0, 10, 20, 30, 30 ...
    sc = podsim.load(repo / CRASHLOOP, {"spec.kubelet.crashLoopBackOff.maxContainerRestartPeriod": "30s",
                                        "spec.kubelet.featureGates.KubeletCrashLoopBackOffMax": True,
                                        "spec.duration": "3m"})
    np.testing.assert_array_equal(sc.run().restart_times("crashloop", "app"), [5, 20, 45, 80, 115, 150])


def test_override_of_the_ReduceDefaultCrashLoopBackOffDecay_gate_gives_1s_doubling_to_60s(repo):
    sc = podsim.load(repo / CRASHLOOP, {"spec.kubelet.featureGates": {"ReduceDefaultCrashLoopBackOffDecay": True},
                                        "spec.duration": "5m"})
    np.testing.assert_array_equal(sc.run().restart_times("crashloop", "app"), [5, 11, 18, 27, 40, 61, 98, 163, 228, 293])


def test_override_of_a_behavior_changes_how_long_each_run_lasts(repo):
    # the app now exits after 20 s: restarts at 20 (at once), then 40+10=50, 70+20=90 (§8.3)
    sc = podsim.load(repo / CRASHLOOP, {"spec.behaviors.crashloop.app": {"run": "20s", "exitCode": 1},
                                        "spec.duration": "2m"})
    np.testing.assert_array_equal(sc.run().restart_times("crashloop", "app"), [20, 50, 90])
    raw = podsim.load(repo / CRASHLOOP, {"spec.behaviors.crashloop.app": podsim.YAML("{run: 20s, exitCode: 1}"),
                                         "spec.duration": "2m"})
    assert raw.run().jsonl() == sc.run().jsonl()


def test_override_of_a_probes_period_moves_readiness_to_the_first_tick_after_succeedAfter(repo):
    # kubelet-semantics §7: the readiness worker ticks every periodSeconds from its creation (the pod's
    # first sync, t=0 here), so R1's app (probe succeeds 10 s after launch) is ready at the first tick
    # k*period >= startedAt + 10.
    path = "pods.web.spec.containers[app].readinessProbe.periodSeconds"
    r1 = repo / "scenarios/bench/r1-web-pod.yaml"
    for period in (5, 7, 3):
        run = podsim.load(r1, {path: period, "spec.duration": "2m"}).run()
        tr = run.trace()
        started_at = tr[(tr["container"] == "app") & (tr["state"] == "running")]["startedAt"].iloc[0]
        want = math.ceil((started_at + 10) / period) * period
        s = run.summary()
        assert s[s["container"] == "app"]["timeToReady"].iloc[0] == want, period


def test_bad_input_in_yaml_text_raises_ScenarioError_with_file_line_column_and_field_path():
    bad = POD_YAML.replace("spec:\n", "spec:\n  restartPolicy: Sometimes\n")
    with pytest.raises(podsim.ScenarioError) as e:
        podsim.load(bad, label="pod.yaml")
    err = e.value
    assert isinstance(err, ValueError)
    assert (err.file, err.line, err.column) == ("pod.yaml", 6, 18)
    assert err.field_path == "spec.restartPolicy"
    assert 'Unsupported value: "Sometimes"' in err.detail
    assert str(err).startswith("pod.yaml:6:18: spec.restartPolicy: ")
    # it survives a trip between processes (Dask sends exceptions pickled)
    back = pickle.loads(pickle.dumps(err))
    assert (back.file, back.line, back.column, back.field_path) == ("pod.yaml", 6, 18, "spec.restartPolicy")


def test_all_field_errors_of_a_document_come_at_once_in_ScenarioError_errors():
    # issue 14: the first error keeps file/line/column/field_path; .errors holds each, in order
    bad = POD_YAML.replace("spec:\n", "spec:\n  restartpolicy: Never\n").replace(
        "image: busybox:1.36", "imaeg: busybox:1.36")
    with pytest.raises(podsim.ScenarioError) as e:
        podsim.load(bad, label="pod.yaml")
    err = e.value
    assert (err.file, err.line, err.column, err.field_path) == ("pod.yaml", 6, 3, "spec.restartpolicy")
    assert err.detail == 'unknown field "spec.restartpolicy", did you mean "restartPolicy"?'
    assert [(x.line, x.field_path, x.detail) for x in err.errors] == [
        (6, "spec.restartpolicy", 'unknown field "spec.restartpolicy", did you mean "restartPolicy"?'),
        (9, "spec.containers[0].imaeg", 'unknown field "spec.containers[0].imaeg", did you mean "image"?'),
        (8, "spec.containers[0].image", "Required value"),
    ]
    assert str(err).splitlines()[0] == str(err.errors[0])
    assert str(err).splitlines()[-1] == 'Pod "hello" is invalid: 3 errors'
    # the list survives a trip between processes too (Dask sends exceptions pickled)
    back = pickle.loads(pickle.dumps(err))
    assert [(x.line, x.field_path, x.detail) for x in back.errors] == [(x.line, x.field_path, x.detail) for x in err.errors]


def test_a_single_error_has_itself_as_the_only_item_of_errors():
    bad = POD_YAML.replace("spec:\n", "spec:\n  restartPolicy: Sometimes\n")
    with pytest.raises(podsim.ScenarioError) as e:
        podsim.load(bad, label="pod.yaml")
    assert [str(x) for x in e.value.errors] == [str(e.value)]


def test_a_deployment_raises_ScenarioError_naming_the_pod_template():
    deployment = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n"
                  "  template:\n    spec: {containers: [{name: app, image: nginx:1.27}]}\n")
    with pytest.raises(podsim.ScenarioError) as e:
        podsim.load(deployment, label="d.yaml")
    assert e.value.field_path == "kind"
    assert "the pod template of this Deployment is spec.template (line 6)" in e.value.detail


def test_bad_input_in_a_file_names_the_file(repo, tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text(POD_YAML.replace("image: busybox:1.36", "image: busybox:1.36\n    imagePullPolicy: Sometimes"))
    with pytest.raises(podsim.ScenarioError) as e:
        podsim.load(f)
    assert e.value.file == str(f)
    assert (e.value.line, e.value.field_path) == (9, "spec.containers[0].imagePullPolicy")


def test_bad_input_in_a_dict_points_at_the_line_of_the_json_text():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "hello"},
           "spec": {"restartPolicy": "Sometimes", "containers": [{"name": "app", "image": "busybox:1.36"}]}}
    with pytest.raises(podsim.ScenarioError) as e:
        podsim.load(pod)
    assert e.value.file == "<dict>" and e.value.field_path == "spec.restartPolicy" and e.value.line > 1


def test_an_override_into_a_missing_pod_raises_ScenarioError_naming_the_override(repo):
    with pytest.raises(podsim.ScenarioError) as e:
        podsim.load(repo / CRASHLOOP, {"pods.nosuchpod.spec.restartPolicy": "Never"})
    assert e.value.file == "<override>" and e.value.field_path == "pods.nosuchpod.spec.restartPolicy"


def test_an_override_value_the_api_rejects_raises_ScenarioError_at_that_field(repo):
    with pytest.raises(podsim.ScenarioError) as e:
        podsim.load(repo / CRASHLOOP, {"pods.crashloop.spec.restartPolicy": "Sometimes"})
    assert e.value.field_path == "spec.restartPolicy" and "Sometimes" in str(e.value)


def test_a_missing_file_raises_ScenarioError(tmp_path):
    with pytest.raises(podsim.ScenarioError) as e:
        podsim.load(tmp_path / "nope.yaml")
    assert e.value.file == str(tmp_path / "nope.yaml")


def test_times_accept_seconds_and_go_durations():
    assert podsim.to_ns(2.5) == 2_500_000_000
    assert podsim.to_ns("1m30s") == 90_000_000_000
    assert podsim.to_ns("300ms") == 300_000_000
    assert podsim.to_ns("1.5s") == 1_500_000_000 and podsim.to_ns("30") == 30_000_000_000
    assert podsim.format_duration(90_000_000_000) == "1m30s"
    with pytest.raises(podsim.ScenarioError, match="soon"):
        podsim.to_ns("soon")
