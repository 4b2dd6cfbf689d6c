#!/usr/bin/env python3
"""tests/golden/check_golden.py: one golden trace test (a ctest per golden, see CMakeLists.txt).

Owns: running `podsim run SCENARIO --output jsonl EXTRA...` for one MANIFEST entry and comparing its output with
tests/golden/NAME.jsonl, byte for byte. Does not own: recording goldens (scripts/update-golden.sh does) or deciding
what a trace should contain (the simulator does; a golden only pins what it did when recorded).

On a difference it prints the first differing record (its 1-based line number and the first JSON field that
differs, in the golden record's key order), then a unified diff (difflib) of golden versus actual with line numbers
in the hunk headers, cut after --max-diff-lines lines. Exit 0: identical; 1: different; 2: usage or run error.
"""
import argparse
import difflib
import json
import os
import shlex
import subprocess
import sys


def read_manifest(path):
    """The MANIFEST entries as {name: (scenario, [extra args])}, in file order."""
    entries = {}
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fields = shlex.split(line)
            if len(fields) < 2:
                raise SystemExit(f"{path}:{lineno}: expected NAME SCENARIO [ARGS...], got {line!r}")
            if fields[0] in entries:
                raise SystemExit(f"{path}:{lineno}: golden {fields[0]!r} listed twice")
            entries[fields[0]] = (fields[1], fields[2:])
    return entries


def first_differing_field(expected_line, actual_line):
    """The first top-level field whose value differs between two JSON records, or a note when one is not JSON."""
    try:
        exp = json.loads(expected_line)
        act = json.loads(actual_line)
    except ValueError:
        return "(record is not JSON)"
    if not isinstance(exp, dict) or not isinstance(act, dict):
        return "(record is not a JSON object)"
    for key in list(exp) + [k for k in act if k not in exp]:
        if key not in act:
            return f"{key!r} (missing from the actual record)"
        if key not in exp:
            return f"{key!r} (not in the golden record)"
        if exp[key] != act[key]:
            return f"{key!r}: golden {json.dumps(exp[key])} != actual {json.dumps(act[key])}"
    if list(exp) != list(act):
        return "(same fields and values, different key order)"
    return "(same values, different spelling: whitespace or number format)"


def compare(name, golden_text, actual_text, max_diff_lines, out):
    """Prints the report of a difference to `out`; returns True when the texts are identical."""
    if golden_text == actual_text:
        return True
    golden = golden_text.splitlines(keepends=True)
    actual = actual_text.splitlines(keepends=True)
    print(f"golden trace {name}: the trace differs from tests/golden/{name}.jsonl", file=out)
    print(f"  records: golden {len(golden)}, actual {len(actual)}", file=out)
    for i in range(min(len(golden), len(actual))):
        if golden[i] != actual[i]:
            print(f"  first difference at record (line) {i + 1}: field {first_differing_field(golden[i], actual[i])}",
                  file=out)
            break
    else:
        if len(golden) != len(actual):
            longer, which = (golden, "golden") if len(golden) > len(actual) else (actual, "actual")
            print(f"  first difference at record (line) {min(len(golden), len(actual)) + 1}: only the {which} trace "
                  f"has it: {longer[min(len(golden), len(actual))].rstrip()}", file=out)
        else:
            print("  the traces differ only in line endings", file=out)
    diff = difflib.unified_diff(golden, actual, fromfile=f"tests/golden/{name}.jsonl (golden)",
                                tofile=f"{name} (actual)", n=2)
    shown = 0
    for line in diff:
        if shown == max_diff_lines:
            print(f"... (diff cut after {max_diff_lines} lines; scripts/update-golden.sh {name} shows the "
                  f"whole change)", file=out)
            break
        out.write(line if line.endswith("\n") else line + "\n")
        shown += 1
    print(f"If this change is intended, re-record it: scripts/update-golden.sh {name} (see tests/golden/README.md).",
          file=out)
    return False


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--podsim", required=True, help="the podsim binary to run")
    ap.add_argument("--source", required=True, help="the source root (scenario paths are relative to it)")
    ap.add_argument("--max-diff-lines", type=int, default=120)
    ap.add_argument("name", help="the golden's name in tests/golden/MANIFEST")
    args = ap.parse_args()

    golden_dir = os.path.join(args.source, "tests", "golden")
    entries = read_manifest(os.path.join(golden_dir, "MANIFEST"))
    if args.name not in entries:
        print(f"golden {args.name!r} is not in tests/golden/MANIFEST", file=sys.stderr)
        return 2
    scenario, extra = entries[args.name]
    cmd = [os.path.abspath(args.podsim), "run", scenario, "--output", "jsonl", *extra]
    try:
        run = subprocess.run(cmd, cwd=args.source, capture_output=True)  # bytes: no newline translation
    except OSError as e:
        print(f"golden trace {args.name}: cannot run {cmd[0]}: {e}", file=sys.stderr)
        return 2
    if run.returncode != 0:
        print(f"golden trace {args.name}: `{' '.join(cmd)}` exited {run.returncode}:\n"
              f"{run.stderr.decode('utf-8', 'replace')}", file=sys.stderr)
        return 2
    with open(os.path.join(golden_dir, args.name + ".jsonl"), encoding="utf-8", newline="") as f:
        golden_text = f.read()
    return 0 if compare(args.name, golden_text, run.stdout.decode("utf-8"), args.max_diff_lines, sys.stdout) else 1


if __name__ == "__main__":
    sys.exit(main())
