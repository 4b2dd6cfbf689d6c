"""``python3 -m podsim sweep FILE --seeds A..B [--threads N] [--set PATH=VALUE]... [-o FILE.csv]``.

The Python twin of ``podsim sweep`` (interface.md §3): same arguments, same runs, and a CSV with the
same header and rows (times in seconds, empty when never reached; error empty on success). Exit status
0; 2 on bad input (the message names file:line:col and the field path).
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from . import YAML, ScenarioError, load, sweep
from ._sweep import POD_METRICS


def _fmt(v) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, float):
        return repr(v) if v != int(v) or abs(v) >= 1e16 else str(int(v))
    s = str(v)
    return '"' + s.replace('"', '""') + '"' if any(ch in s for ch in ',"\n\r') else s


def main(argv: list[str] | None = None) -> int:
    """Parses the arguments, runs the sweep and writes the CSV; returns the exit status."""
    ap = argparse.ArgumentParser(prog="python3 -m podsim")
    sub = ap.add_subparsers(dest="command", required=True)
    sw = sub.add_parser("sweep", help="run a scenario once per seed (and variant); one CSV row per run")
    sw.add_argument("file")
    sw.add_argument("--seeds", default="1..100", help="A..B (inclusive) or N")
    sw.add_argument("--threads", type=int, default=0)
    sw.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                    help="override; a PATH given several times makes one variant per value")
    sw.add_argument("-o", "--output", default="-")
    sw.add_argument("--progress", action="store_true", help="show a progress bar")
    a = ap.parse_args(argv)
    try:
        params: dict[str, list[str]] = {}
        for s in a.set:
            if "=" not in s:
                raise ScenarioError(f"<command line>:0:0: --set: Invalid value: \"{s}\": expected PATH=VALUE",
                                    "<command line>", 0, 0, "--set", f"Invalid value: \"{s}\": expected PATH=VALUE")
            p, v = s.split("=", 1)
            params.setdefault(p, []).append(v)
        sc = load(a.file)
        for w in sc.warnings:
            print(f"warning: {w}", file=sys.stderr)
        # Values are YAML text as on the command line; the variants are the product of each path's values.
        variants = {p: [YAML(v) for v in vs] for p, vs in params.items()} or None
        seeds = a.seeds if ".." in a.seeds else f"{a.seeds}..{a.seeds}"
        df = sweep(sc, variants, seeds, a.threads or None, progress=True if a.progress else False)
    except ScenarioError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    pods = [c[: -len(".phase")] for c in df.columns if c.endswith(".phase")]
    out = sys.stdout if a.output == "-" else open(a.output, "w", newline="")
    try:
        header = [_fmt(p) for p in params] + ["seed"] + [_fmt(f"{p}.{m}") for p in pods for m in POD_METRICS] + ["error"]
        out.write(",".join(header) + "\n")
        for row in df.itertuples(index=False, name=None):
            r = dict(zip(df.columns, row))
            cells = [_fmt(r[p]) for p in params] + [str(r["seed"])]
            for p in pods:
                for m in POD_METRICS:
                    v = r[f"{p}.{m}"]
                    cells.append("" if v is None or v is pd.NA else _fmt(v))
            cells.append(_fmt(r["error"]))
            out.write(",".join(cells) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
