"""The benchmark's Python entry: R1 through the bindings (podsim._core), as a notebook user would run it.

Prints R1 runs per second through `Scenario.run(trace=False)` (one run per call, one thread) and the wall
time of a sweep of seeds 1..N through `SweepJob` on 1 and 2 threads, each the median of several
repetitions with its spread, beside the SimPy peer's runs per second measured in the same process.

Usage (from the repository root, after building the extension into build/python):
    PYTHONPATH=build/python python3 bench/podsim_bench.py [--quick]
"""
import argparse
import statistics
import subprocess
import sys
import time


def median_spread(values):
    return statistics.median(values), min(values), max(values)


def fmt(values, unit, digits=0):
    m, lo, hi = median_spread(values)
    return f"{m:.{digits}f} {unit} (min {lo:.{digits}f}, max {hi:.{digits}f})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and smaller sweeps")
    parser.add_argument("--r1", default="scenarios/bench/r1-web-pod.yaml")
    parser.add_argument("--simpy", default="bench/simpy_r1.py")
    args = parser.parse_args()
    try:
        from podsim import _core  # the extension module; the pure-Python package wraps it
    except ImportError as e:
        print(f"podsim Python bindings not importable ({e}); build them and set PYTHONPATH=build/python")
        return 0

    reps = 3 if args.quick else 7
    runs = 300 if args.quick else 2000
    scenario = _core.load_file(args.r1)
    rates = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for seed in range(1, runs + 1):
            scenario.run(seed=seed, trace=False)
        rates.append(runs / (time.perf_counter() - t0))
    podsim_rate = statistics.median(rates)
    print(f"R1 runs/s through the bindings, 1 thread, trace off: {fmt(rates, 'runs/s')}")

    with open(args.r1, encoding="utf-8") as f:
        text = f.read()
    n = 2000 if args.quick else 10000
    for threads in (1, 2):
        times = []
        for _ in range(1 if args.quick else 3):
            job = _core.SweepJob(text, args.r1, [], list(range(1, n + 1)), threads)
            t0 = time.perf_counter()
            job.start()
            while not job.wait(1.0):
                pass
            job.result()
            times.append(time.perf_counter() - t0)
        print(f"sweep of {n} R1 runs through SweepJob, {threads} thread(s): {fmt(times, 's', 3)}")

    out = subprocess.run([sys.executable, args.simpy, "50" if args.quick else "200"], capture_output=True, text=True)
    if out.returncode == 0 and "runs_per_s=" in out.stdout:
        simpy = float(out.stdout.split("runs_per_s=")[1].split()[0])
        print(f"SimPy peer R1 runs/s: {simpy:.1f}; through the bindings podsim is {podsim_rate / simpy:.0f}x the peer")
    else:
        print("SimPy peer: not measured (python3 -m pip install simpy)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
