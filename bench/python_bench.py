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
  6. a loop of ``run().summary()`` (R1, 200 runs) with this build and with the baseline's Python extension
     (``--baseline``, default /work/main/build/python), each in its own subprocess, and the speed-up.

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
    ap.add_argument("--baseline", default="/work/main/build/python",
                    help="a podsim Python package directory to compare run().summary() against")
    ap.add_argument("--scale-runs", type=int, default=2000)
    ap.add_argument("--summary-loop", type=int, default=200, help=argparse.SUPPRESS)
    ap.add_argument("--only-summary", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.only_summary:  # the child process of part 6: prints runs/s of run().summary() in a loop
        return summary_loop(a.summary_loop)
    build = Path(a.build)
    sys.path.insert(0, str(build / "python"))
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
    env = dict(os.environ)
    rates = {}
    for name, path in (("this build", str(build / "python")), ("baseline", a.baseline)):
        if not Path(path, "podsim").is_dir():
            print(f"run().summary() {name}: no podsim package in {path}")
            continue
        env["PYTHONPATH"] = path
        out = subprocess.run([sys.executable, __file__, "--only-summary", "--summary-loop", str(a.summary_loop)],
                             env=env, capture_output=True, text=True, check=True).stdout.split()
        rates[name] = (float(out[0]), float(out[1]))
        print(f"run().summary() loop, {name:10}: {rates[name][0]:8.0f} runs/s; summary() alone {rates[name][1]:8.0f}/s "
              f"({out[2]})")
    if len(rates) == 2:
        print(f"speed-up over the baseline: run().summary() loop {rates['this build'][0] / rates['baseline'][0]:.1f}x, "
              f"summary() alone {rates['this build'][1] / rates['baseline'][1]:.1f}x (target >= 10x)")


def summary_loop(n: int) -> int:
    """Child of part 6: R1's run().summary() n times (seeds 1..n); prints runs/s and the module's path."""
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
