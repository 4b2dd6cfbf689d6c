#!/usr/bin/env python3
"""bench/python_bench.py: the Python overhead of a sweep: 10,000 runs of R1 through podsim.sweep vs C++.

Times the same runs (scenarios/bench/r1-web-pod.yaml, seeds 1..N, trace off) three ways, each the median
of several repetitions of wall time:
  1. ``podsim sweep`` (the C++ command line; includes its process start and writing the CSV to /dev/null),
  2. the C++ sweep through ``podsim._core.SweepJob`` alone (no DataFrame),
  3. ``podsim.sweep`` (the C++ sweep, then one DataFrame row per run),
and prints the ratios; the target is podsim.sweep <= 1.2 x the C++ sweep. Also for ``timing: kubelet``.
It also checks that the rows are the same as the CLI's (a benchmark of wrong numbers is worthless).

Then the scale of work (issue 15), each the median of the repetitions:
  4. 2,000 seeds vs 2,000 distinct variants x 1 seed (``spec.behaviors.web.app.run`` = 50 s + 10 ms x i),
     through podsim.sweep; ratio variants/seeds in runs/s, target >= 0.5;
  5. the default sweep vs ``metrics=["restarts", "timeIn", "events"]`` (2,000 seeds), target >= 0.5;
  6. a loop of ``run().summary()`` (R1, 200 runs) with this build against the same loop with the summary as
     it was when issue 15 was filed (phase times from the trace DataFrame: summary_as_filed), in one process,
     and the speed-up (target >= 10x); ``--baseline DIR`` adds another build's package for comparison.

Usage: python3 bench/python_bench.py [--runs 10000] [--threads N] [--repeat 5] [--build build]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10_000)
    ap.add_argument("--threads", type=int, default=0, help="0: one per hardware thread")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--build", default=str(REPO / "build"))
    ap.add_argument("--baseline", default="",
                    help="also time run().summary() with the podsim package in this directory (another build)")
    ap.add_argument("--scale-runs", type=int, default=2000)
    ap.add_argument("--summary-loop", type=int, default=200, help=argparse.SUPPRESS)
    ap.add_argument("--only-summary", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.only_summary:  # the child process of part 6: prints runs/s of run().summary() in a loop
        return summary_loop(a.summary_loop)
    build = Path(a.build)
    sys.path.insert(0, str(build / "python"))
    import warnings
    # R1 draws nothing from the seed (ideal timing, no faults): the sweeps here time seeds on purpose.
    warnings.filterwarnings("ignore", message=".*nothing is drawn from the seed.*")
    import numpy as np
    import pandas as pd

    import podsim
    from podsim import _core

    threads = a.threads or podsim.hardware_threads()
    r1 = REPO / "scenarios" / "bench" / "r1-web-pod.yaml"
    cli = build / "podsim"
    seeds = list(range(1, a.runs + 1))
    print(f"# podsim Python sweep benchmark: R1 ({r1.relative_to(REPO)}), {a.runs} runs, seeds 1..{a.runs}, "
          f"{threads} thread(s), median of {a.repeat}")
    print(f"# python {sys.version.split()[0]}, numpy {np.__version__}, pandas {pd.__version__}, cores {os.cpu_count()}")
    print(f"{'timing':8} {'path':28} {'median s':>9} {'min s':>7} {'runs/s':>9} {'ratio':>6}")
    worst = 0.0
    for timing in ("ideal", "kubelet"):
        sc = podsim.load(r1, {"spec.timing": timing})

        def cli_sweep() -> None:
            subprocess.run([str(cli), "sweep", str(r1), "--seeds", f"1..{a.runs}", "--threads", str(threads),
                            "--set", f"spec.timing={timing}", "-o", os.devnull], check=True)

        def core_sweep() -> None:
            job = _core.SweepJob(sc.text, sc.file, [[]], seeds, threads)
            job.start()
            job.wait(1e9)
            job.result()

        def py_sweep() -> None:
            podsim.sweep(sc, seeds=seeds, threads=threads, progress=False)

        paths = (("podsim sweep (C++ CLI)", cli_sweep), ("_core.SweepJob (C++, no df)", core_sweep),
                 ("podsim.sweep (DataFrame)", py_sweep))
        samples: dict[str, list[float]] = {name: [] for name, _ in paths}
        for name, fn in paths:
            fn()  # warm-up (page cache, imports)
        for _ in range(a.repeat):  # interleaved, so that a busy moment of the machine hits all three alike
            for name, fn in paths:
                t0 = time.perf_counter()
                fn()
                samples[name].append(time.perf_counter() - t0)
        times = {name: (statistics.median(t), min(t)) for name, t in samples.items()}
        base = times["podsim sweep (C++ CLI)"][0]
        for name, (med, mn) in times.items():
            print(f"{timing:8} {name:28} {med:9.3f} {mn:7.3f} {a.runs / med:9.0f} {med / base:6.2f}")
        ratio_cli = times["podsim.sweep (DataFrame)"][0] / base
        ratio_core = times["podsim.sweep (DataFrame)"][0] / times["_core.SweepJob (C++, no df)"][0]
        worst = max(worst, ratio_cli)
        print(f"{timing:8} podsim.sweep / C++ CLI sweep = {ratio_cli:.3f}; podsim.sweep / _core sweep = {ratio_core:.3f}")

        # The Python side alone: turning the finished C++ rows into the DataFrame.
        from podsim import _sweep
        job = _core.SweepJob(sc.text, sc.file, [[]], seeds, threads)
        job.start()
        job.wait(1e9)
        t0 = time.perf_counter()
        _sweep._frame(job.result(), _sweep.parameter_table([{}], []), [0], sc.pods)
        conv = time.perf_counter() - t0
        print(f"{timing:8} rows -> DataFrame alone: {conv * 1e3:.1f} ms "
              f"({conv / times['_core.SweepJob (C++, no df)'][0] * 100:.1f} % of the C++ sweep)")

        # Same numbers as the CLI for the same seeds.
        out = subprocess.run([str(cli), "sweep", str(r1), "--seeds", f"1..{a.runs}", "--threads", str(threads),
                              "--set", f"spec.timing={timing}"], check=True, capture_output=True, text=True).stdout
        ref = pd.read_csv(io.StringIO(out))
        df = podsim.sweep(sc, seeds=seeds, threads=threads, progress=False)
        same = len(df) == len(ref) == a.runs and all(
            np.array_equal(df[c].astype(float).to_numpy(), ref[c].to_numpy(), equal_nan=True)
            if ref[c].dtype.kind in "iuf" else df[c].astype(str).tolist() == ref[c].astype(str).tolist()
            for c in ref.columns if c not in ("error", "spec.timing"))
        print(f"{timing:8} rows: {len(df)}; equal to the CLI's: {'yes' if same else 'NO'}")
    print(f"# worst podsim.sweep / C++ sweep ratio: {worst:.3f} (target <= 1.2)")
    scale(a, build, threads)
    return 0


def _median_time(fn, repeat: int) -> float:
    fn()  # warm-up
    t = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        t.append(time.perf_counter() - t0)
    return statistics.median(t)


def scale(a: argparse.Namespace, build: Path, threads: int) -> None:
    """Parts 4-6: distinct variants, metrics, run().summary() (issue 15's figures)."""
    import podsim

    r1 = REPO / "scenarios" / "bench" / "r1-web-pod.yaml"
    sc = podsim.load(r1)
    n = a.scale_runs
    print(f"# scale of work: R1, {n} runs, {threads} thread(s), median of {a.repeat}")
    variants = {"spec.behaviors.web.app.run": [f"{50000 + 10 * i}ms" for i in range(n)]}
    seeds_t = _median_time(lambda: podsim.sweep(sc, seeds=n, threads=threads, progress=False), a.repeat)
    var_t = _median_time(lambda: podsim.sweep(sc, variants, seeds=[1], threads=threads, progress=False), a.repeat)
    print(f"{n} seeds x 1 variant : {seeds_t:7.3f} s {n / seeds_t:9.0f} runs/s")
    print(f"{n} variants x 1 seed : {var_t:7.3f} s {n / var_t:9.0f} runs/s")
    print(f"variants / seeds runs/s ratio = {seeds_t / var_t:.3f} (target >= 0.5)")
    met = ["restarts", "timeIn", "events"]
    met_t = _median_time(lambda: podsim.sweep(sc, seeds=n, threads=threads, progress=False, metrics=met), a.repeat)
    tidy_t = _median_time(lambda: podsim.sweep(sc, seeds=n, threads=threads, progress=False, metrics=met, tidy=True),
                          a.repeat)
    print(f"default sweep        : {seeds_t:7.3f} s {n / seeds_t:9.0f} runs/s")
    print(f"metrics={met}: {met_t:7.3f} s {n / met_t:9.0f} runs/s (tidy: {n / tidy_t:.0f} runs/s)")
    print(f"metrics / default runs/s ratio = {seeds_t / met_t:.3f} (target >= 0.5)")
    summary_compare(a, build)


def summary_as_filed(run):
    """``Run.summary()`` as it was when issue 15 was filed (python/podsim/_api.py at 66acaf9^): the same
    columns, with each pod's time per phase computed from the trace DataFrame (``run.trace()``, rebuilt on
    every call) in a pandas groupby. Kept here as the reference that part 6 is measured against, so that
    the comparison runs in one process on any checkout."""
    import numpy as np
    import pandas as pd
    from podsim import _api

    c = run._core.summary_columns()
    df = pd.DataFrame({k: _api._categorical(c[k]) for k in ("pod", "container", "containerType", "phase", "status",
                                                            "ready", "state", "reason")})
    df["restarts"] = _api._nullable_int(c["restarts"])
    for k in ("timeToInitialized", "timeToStarted", "timeToReady", "readyTime", "timeWaiting", "timeRunning",
              "timeTerminated"):
        df[k] = _api._seconds(c[k])
    df["fractionReady"] = c["fractionReady"]
    tr = run.trace()
    phases: dict = {}
    end = run.duration_ns
    for pod, g in tr[tr["type"].isin(["PodStatus", "PodRemoved"])].groupby("pod", observed=True, sort=False):
        t = g["t_ns"].to_numpy()
        until = np.append(t[1:], end)
        acc: dict = {}
        for ph, t0, t1, kind in zip(g["phase"], t, until, g["type"]):
            if kind == "PodStatus" and t1 > t0:
                acc[str(ph)] = acc.get(str(ph), 0.0) + (t1 - t0) / 1e9
        phases[str(pod)] = acc
    for ph in _api.PHASES:
        col = np.full(len(df), np.nan)
        for i, (pod, container) in enumerate(zip(df["pod"], df["container"])):
            if pd.isna(container) and pod in phases:
                col[i] = phases[pod].get(ph, 0.0)
        df[f"phase{ph}"] = col
    return df


def summary_compare(a: argparse.Namespace, build: Path) -> None:
    """Part 6: a loop of ``run().summary()`` on R1 (seeds 1..n) with this build, against the same loop with
    the summary as filed (summary_as_filed), in this process; then each summary() alone on one run. With
    ``--baseline DIR`` (a podsim package directory of another build) also that build's loop, in a subprocess."""
    import podsim

    sc = podsim.load(REPO / "scenarios" / "bench" / "r1-web-pod.yaml")
    n = a.summary_loop
    sc.run(seed=1).summary()
    summary_as_filed(sc.run(seed=1))

    def loop(f):
        t0 = time.perf_counter()
        for s in range(1, n + 1):
            f(sc.run(seed=s))
        return n / (time.perf_counter() - t0)

    def alone(f):
        run = sc.run(seed=1)
        t0 = time.perf_counter()
        for _ in range(n):
            f(run)
        return n / (time.perf_counter() - t0)

    reps = max(1, min(a.repeat, 3))
    now_loop = statistics.median(loop(lambda r: r.summary()) for _ in range(reps))
    old_loop = statistics.median(loop(summary_as_filed) for _ in range(reps))
    now_alone = statistics.median(alone(lambda r: r.summary()) for _ in range(reps))
    old_alone = statistics.median(alone(summary_as_filed) for _ in range(reps))
    print(f"run().summary() loop, {n} runs: this build {now_loop:8.0f} runs/s; as filed (trace frame) "
          f"{old_loop:8.0f} runs/s; speed-up {now_loop / old_loop:.1f}x (target >= 10x)")
    print(f"summary() alone: this build {now_alone:8.0f}/s; as filed {old_alone:8.0f}/s; "
          f"speed-up {now_alone / old_alone:.1f}x")
    if a.baseline and Path(a.baseline, "podsim").is_dir() and Path(a.baseline).resolve() != (build / "python").resolve():
        env = dict(os.environ, PYTHONPATH=a.baseline)
        out = subprocess.run([sys.executable, __file__, "--only-summary", "--summary-loop", str(n)],
                             env=env, capture_output=True, text=True, check=True).stdout.split()
        print(f"run().summary() loop with the baseline build {out[2]}: {float(out[0]):8.0f} runs/s "
              f"(this build / baseline {now_loop / float(out[0]):.1f}x)")


def summary_loop(n: int) -> int:
    """Child of part 6 with --baseline: R1's run().summary() n times (seeds 1..n); prints runs/s, summary()
    alone per second and the module's path."""
    sys.path.insert(0, os.environ["PYTHONPATH"])  # before any podsim a .pth puts on the path
    import podsim

    sc = podsim.load(REPO / "scenarios" / "bench" / "r1-web-pod.yaml")
    sc.run(seed=1).summary()
    t0 = time.perf_counter()
    for s in range(1, n + 1):
        sc.run(seed=s).summary()
    dt = time.perf_counter() - t0
    run = sc.run(seed=1)
    t1 = time.perf_counter()
    for _ in range(n):
        run.summary()
    ds = time.perf_counter() - t1
    print(f"{n / dt:.1f} {n / ds:.1f} {podsim.__file__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
