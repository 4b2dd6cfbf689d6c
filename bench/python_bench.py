#!/usr/bin/env python3
"""bench/python_bench.py: the Python overhead of a sweep: 10,000 runs of R1 through podsim.sweep vs C++.

Times the same runs (scenarios/bench/r1-web-pod.yaml, seeds 1..N, trace off) three ways, each the median
of several repetitions of wall time:
  1. ``podsim sweep`` (the C++ command line; includes its process start and writing the CSV to /dev/null),
  2. the C++ sweep through ``podsim._core.SweepJob`` alone (no DataFrame),
  3. ``podsim.sweep`` (the C++ sweep, then one DataFrame row per run),
and prints the ratios; the target is podsim.sweep <= 1.2 x the C++ sweep. Also for ``timing: kubelet``.
It also checks that the rows are the same as the CLI's (a benchmark of wrong numbers is worthless).

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
    a = ap.parse_args()
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
