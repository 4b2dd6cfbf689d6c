#!/usr/bin/env python3
"""Compares podsim's STATUS/READY/RESTARTS with the real kubectl printPod (the oracle in this folder).

A developer check, not part of CI: for every scenario (or the files given) and every time at which a pod's
status changes, it runs `podsim get FILE --at T` and `podsim get FILE -o yaml --at T | printpod-oracle --now T`
and prints each difference. Exit 0 when none, 1 when some differ; skipped (exit 0) when Go is missing.

Usage: compare.py --podsim build/podsim [--oracle BIN] [--max-times N] [FILE...]
The oracle is built with `GOFLAGS=-mod=mod go build -o BIN .` in this folder (k8s.io/kubernetes as go.mod says).
"""
import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--podsim", required=True)
    ap.add_argument("--oracle", default="")
    ap.add_argument("--max-times", type=int, default=0, help="at most N change times per scenario (0: all)")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    oracle = a.oracle
    if not oracle:
        if shutil.which("go") is None:
            print("skipped: Go is missing")
            return 0
        oracle = os.path.join(HERE, "printpod-oracle")
        env = dict(os.environ, GOFLAGS="-mod=mod")
        subprocess.run(["go", "build", "-o", oracle, "."], cwd=HERE, env=env, check=True)
    files = a.files or sorted(os.path.join(dp, f) for dp, _, fs in os.walk(os.path.join(ROOT, "scenarios"))
                              for f in fs if f.endswith(".yaml"))
    diffs = 0
    views = 0
    import tempfile
    tmpdir = tempfile.mkdtemp()
    for f in files:
        try:
            spec = pod_specs(f, tmpdir)
        except Exception as e:  # a scenario the check cannot read: say so, go on
            print(f"{os.path.relpath(f, ROOT)}: cannot read its Pods: {e}")
            continue
        run = subprocess.run([a.podsim, "run", f, "-o", "jsonl"], capture_output=True, text=True)
        if run.returncode != 0:
            continue
        times = sorted({json.loads(l)["t"] for l in run.stdout.splitlines() if '"type":"PodStatus"' in l})
        if a.max_times:
            times = times[:a.max_times]
        for t in times:
            at = f"{t:.9f}".rstrip("0").rstrip(".") + "s"
            got = table(subprocess.run([a.podsim, "get", f, "--at", at], capture_output=True, text=True).stdout)
            y = subprocess.run([a.podsim, "get", f, "-o", "yaml", "--at", at], capture_output=True, text=True).stdout
            if not y.lstrip().startswith("apiVersion"):
                y = ""  # "No resources found": every pod removed
            now = (datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) +
                   datetime.timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            o = subprocess.run([oracle, "--now", now, "--spec", spec], input=y, capture_output=True, text=True)
            if o.returncode != 0:
                print(f"{os.path.relpath(f, ROOT)} at {at}: oracle error: {o.stderr.strip()}")
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
                    print(f"{os.path.relpath(f, ROOT)} at {at} pod {name}: podsim {got.get(name)} kubectl {want.get(name)}")
    print(f"{views} pod views compared, {diffs} differences")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
