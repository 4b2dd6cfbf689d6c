"""A sweep whose runs cannot differ by seed says so once (engine::sweepUsesRandomness): podsim.sweep warns,
`podsim sweep` writes one line on stderr."""

from __future__ import annotations

import subprocess
import warnings

import podsim


def _warnings_of(**kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        podsim.sweep(progress=False, **kwargs)
    return [str(w.message) for w in caught if "drawn from the seed" in str(w.message)]


def test_ideal_timing_without_faults_warns_once_that_every_seed_gives_the_same_run(repo):
    sc = podsim.load(repo / "scenarios/bench/r1-web-pod.yaml")
    assert _warnings_of(scenario=sc, seeds=3) == [
        "r1-web-pod: nothing is drawn from the seed (ideal timing, no random faults): every seed gives the same run"]


def test_a_kubelet_timing_variant_or_a_single_seed_gives_no_warning(repo):
    sc = podsim.load(repo / "scenarios/bench/r1-web-pod.yaml")
    assert _warnings_of(scenario=sc, variants={"spec.timing": ["ideal", "kubelet"]}, seeds=3) == []
    assert _warnings_of(scenario=sc, seeds=1) == []
    assert _warnings_of(scenario=repo / "scenarios/faults/crash-mtbf.yaml", seeds=2) == []


def test_the_cli_says_it_once_on_stderr(repo, podsim_cli):
    out = subprocess.run([str(podsim_cli), "sweep", str(repo / "scenarios/bench/r1-web-pod.yaml"), "--seeds", "1..3"],
                         capture_output=True, text=True, check=True)
    assert out.stderr.count("every seed gives the same run") == 1
