"""Timelines: lanes for phase and conditions, one per container in spec order (init first), restarts marked."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import podsim  # noqa: E402

CONDITIONS = ["PodScheduled", "PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready"]


def test_a_timeline_has_phase_condition_lanes_then_one_lane_per_container_init_first(repo):
    run = podsim.load(repo / "scenarios/bench/r1-web-pod.yaml", {"spec.duration": "10m"}).run()
    fig = podsim.plot.timeline(run)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()][::-1]  # top to bottom
    assert labels == ["phase", *CONDITIONS, "init-config (init)", "init-migrate (init)", "log-shipper (sidecar)",
                      "app (regular)", "proxy (regular)"]
    # one restart tick per restart of the app (restartCount 1, 2, ...) with its number written above
    restarts = len(run.restart_times("web", "app"))
    assert restarts >= 3
    numbers = {t.get_text() for t in ax.texts}
    assert {str(k) for k in range(1, restarts + 1)} <= numbers
    matplotlib.pyplot.close(fig)


def test_a_timeline_of_several_pods_names_each_lane_by_pod(repo):
    run = podsim.load(repo / "scenarios/nodes/two-nodes-ten-pods.yaml").run()
    fig = podsim.plot.timeline(run)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    pods = {p.split("/", 1)[1] for p in run.scenario.pods}
    assert {label.split(": ", 1)[0] for label in labels} == pods
    assert sum(label.endswith(": phase") for label in labels) == len(pods)
    matplotlib.pyplot.close(fig)
