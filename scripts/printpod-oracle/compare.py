#!/usr/bin/env python3
"""Compares podsim's STATUS/READY/RESTARTS with the real kubectl printPod (the oracle in this folder).

A developer check, not part of CI: for every scenario (or the files given) and every time at which a pod's
status changes, it runs `podsim get FILE --at T` and `podsim get FILE -o yaml --at T | printpod-oracle --now T`
and prints each difference. Exit 0 when none, 1 when some differ; skipped (exit 0) when Go is missing.

Usage: compare.py --podsim build/podsim [--versions all|1.28,1.35,...] [--oracle-for 1.28=BIN]... [--max-times N] [FILE...]
With --versions every scenario runs under each version (`--kubernetes-version`; skipped where that version's
API server refuses it) and is compared with that release's printer, built by build.sh (cached in --cache).
printPod itself differs between 1.28, 1.29, 1.30, 1.31, 1.32-1.34 and 1.35-1.37 (printers.go).
"""
import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
#: The wall-clock date of simulated time 0 in every podsim view (models/report/views.hpp kRunStartUnix).
RUN_START = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
ROOT = os.path.dirname(os.path.dirname(HERE))


def table(text):
    """Rows of `podsim get`'s table as {name: (ready, status, restarts)}, sliced at the header's columns."""
    lines = [l for l in text.splitlines() if l.strip()]
    if not lines or not lines[0].startswith("NAME"):
        return {}
    h = lines[0]
    cols = [h.index(c) for c in ("NAME", "READY", "STATUS", "RESTARTS", "AGE")]
    out = {}
    for l in lines[1:]:
        cell = [l[cols[i]:cols[i + 1]].strip() for i in range(4)]
        out[cell[0]] = tuple(cell[1:])
    return out


def pod_specs(path, tmpdir):
    """The Pod documents of a scenario and of the manifests it names, as a JSON-lines file for --spec."""
    import yaml
    pods = []
    with open(path) as fh:
        docs = [d for d in yaml.safe_load_all(fh) if isinstance(d, dict)]
    for d in docs:
        if d.get("kind") == "Pod":
            pods.append(d)
        elif d.get("kind") == "Scenario":
            for m in (d.get("spec") or {}).get("manifests") or []:
                with open(os.path.join(os.path.dirname(path), m)) as fh:
                    pods += [x for x in yaml.safe_load_all(fh) if isinstance(x, dict) and x.get("kind") == "Pod"]
    out = os.path.join(tmpdir, "pods.json")
    with open(out, "w") as fh:
        for p in pods:
            fh.write(json.dumps(p, default=str) + "\n")
    return out


#: The minor versions podsim models, and the patch release whose printer stands for each (build.sh PATCH).
VERSIONS = ("1.28", "1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35", "1.36", "1.37")


def oracle_for(version, given, cache):
    """The oracle binary for a minor version: --oracle-for's, else build.sh's into the cache folder."""
    if version in given:
        return given[version]
    out = os.path.join(cache, f"printpod-oracle-{version}")
    if not os.path.exists(out):
        subprocess.run([os.path.join(HERE, "build.sh"), version, out], check=True)
    return out


def compare(podsim, oracle, f, spec, version, max_times):
    """(views, differences) of one scenario under one version (None: the scenario's own); prints each difference."""
    vflag = ["--kubernetes-version", version] if version else []
    label = os.path.relpath(f, ROOT) + (f" [{version}]" if version else "")
    run = subprocess.run([podsim, "run", f, "-o", "jsonl"] + vflag, capture_output=True, text=True)
    if run.returncode != 0:
        return 0, 0  # that version's API server refuses the scenario: nothing to print
    times = sorted({json.loads(l)["t"] for l in run.stdout.splitlines() if '"type":"PodStatus"' in l})
    if max_times:
        times = times[:max_times]
    views = diffs = 0
    for t in times:
        at = f"{t:.9f}".rstrip("0").rstrip(".") + "s"
        got = table(subprocess.run([podsim, "get", f, "--at", at] + vflag, capture_output=True, text=True).stdout)
        y = subprocess.run([podsim, "get", f, "-o", "yaml", "--at", at] + vflag, capture_output=True, text=True).stdout
        if not y.lstrip().startswith("apiVersion"):
            y = ""  # "No resources found": every pod removed
        now = (RUN_START + datetime.timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        o = subprocess.run([oracle, "--now", now, "--spec", spec], input=y, capture_output=True, text=True)
        if o.returncode != 0:
            print(f"{label} at {at}: oracle error: {o.stderr.strip()}")
            diffs += 1
            continue
        want = {}
        for l in o.stdout.splitlines():
            name, ready, status, restarts = l.split("\t")
            want[name] = (ready, status, restarts)
        for name in sorted(set(got) | set(want)):
            views += 1
            if got.get(name) != want.get(name):
                diffs += 1
                print(f"{label} at {at} pod {name}: podsim {got.get(name)} kubectl {want.get(name)}")
    return views, diffs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--podsim", required=True)
    ap.add_argument("--oracle", default="", help="the oracle for the scenarios' own versions (default: 1.37's)")
    ap.add_argument("--versions", default="",
                    help="comma-separated minors (or 'all'): run every scenario under each with --kubernetes-version "
                         "and compare with that release's printer; default: each scenario's own version, 1.37's printer")
    ap.add_argument("--oracle-for", action="append", default=[], metavar="MINOR=BIN",
                    help="a prebuilt oracle for a minor version (else build.sh builds it into --cache)")
    ap.add_argument("--cache", default=os.path.join(os.path.expanduser("~"), ".cache", "podsim-printpod-oracle"))
    ap.add_argument("--max-times", type=int, default=0, help="at most N change times per scenario (0: all)")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    if shutil.which("go") is None and not a.oracle and not a.oracle_for:
        print("skipped: Go is missing")
        return 0
    os.makedirs(a.cache, exist_ok=True)
    given = dict(x.split("=", 1) for x in a.oracle_for)
    if a.oracle:
        given.setdefault("1.37", a.oracle)
    versions = list(VERSIONS) if a.versions == "all" else [v for v in a.versions.split(",") if v] or [None]
    files = a.files or sorted(os.path.join(dp, f) for dp, _, fs in os.walk(os.path.join(ROOT, "scenarios"))
                              for f in fs if f.endswith(".yaml"))
    import tempfile
    tmpdir = tempfile.mkdtemp()
    total_views = total_diffs = 0
    for version in versions:
        oracle = oracle_for(version or "1.37", given, a.cache)
        views = diffs = 0
        for f in files:
            try:
                spec = pod_specs(f, tmpdir)
            except Exception as e:  # a scenario the check cannot read: say so, go on
                print(f"{os.path.relpath(f, ROOT)}: cannot read its Pods: {e}")
                continue
            v, d = compare(a.podsim, oracle, f, spec, version, a.max_times)
            views += v
            diffs += d
        print(f"{version or 'own versions'}: {views} pod views compared, {diffs} differences")
        total_views += views
        total_diffs += diffs
    if len(versions) > 1:
        print(f"all: {total_views} pod views compared, {total_diffs} differences")
    return 1 if total_diffs else 0


if __name__ == "__main__":
    sys.exit(main())
