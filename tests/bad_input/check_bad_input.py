#!/usr/bin/env python3
"""tests/bad_input/check_bad_input.py: every malformed input ends in exit 2 and one exact message.

Rule checked (interface.md section 3, issue 4): bad input is never a crash, a hang or a silent guess; podsim
exits with status 2 and prints `error: FILE:LINE:COL: FIELD.PATH: DETAIL`, in the words of the Kubernetes
API server (pkg/apis/core/validation/validation.go) where it has such a check; when a document has several
field errors, one such line for each and a last line `KIND "name" is invalid: N errors` (issue 14).

Usage: check_bad_input.py --podsim PATH [--dir DIR] CASE...

A case is a file name in DIR (default: this folder; tests/regressions/ holds the fuzzer's findings). Its expected message (without the `error: ` prefix) is either the
first line of the file, written `# expect: MESSAGE`, or the lines not starting with `#` of a sidecar
file CASE.expected (for inputs that cannot hold a comment: binary garbage, an empty file). A message of
several lines (all field errors of a document, then `Pod "x" is invalid: N errors`) is written as that
many `# expect: LINE` lines at the top of the file, or as that many lines of the sidecar. A sidecar can
also say how the input comes to be, in a line `# generate: KIND SIZE`:
  - `big-document BYTES`: a Pod whose labels fill the file to BYTES bytes (the 50 MB document);
  - `brackets DEPTH`: a Pod whose labels are DEPTH nested flow lists `[[[...]]]`;
and a sidecar without an input file and without `generate` names a file that does not exist.

A case whose message is `OK` is a valid input at the edges of what podsim accepts (the largest
durations, grace periods and probe periods): validate, run and check must all exit 0, with no crash,
hang or sanitizer report (int64 nanoseconds must not overflow).

Each case is run as `podsim validate CASE`, `podsim run CASE` and `podsim check CASE`, from the folder
holding the input (so the message starts with the bare file name). validate and run must exit 2 with
stderr exactly `error: MESSAGE` and nothing on stdout; check must exit 2 and print `ERROR MESSAGE`. A
sanitizer report, a signal, or more than --timeout seconds (a hang) fails the case. The wall time of
each command is printed; speed itself is measured by benchmarks, not here.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))  # --dir changes it
SANITIZER_MARKS = ("AddressSanitizer", "UndefinedBehaviorSanitizer", "LeakSanitizer", "runtime error:")


def expected_of(case):
    """Returns (message, generate) for a case; generate is None or (kind, int)."""
    sidecar = os.path.join(HERE, case + ".expected")
    generate = None
    if os.path.exists(sidecar):
        lines = []
        with open(sidecar, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if line.startswith("# generate:"):
                    kind, size = line[len("# generate:"):].split()
                    generate = (kind, int(size))
                elif not line.startswith("#") and line.strip():
                    lines.append(line)
        if not lines:
            raise SystemExit(f"{sidecar}: no expected message")
        return "\n".join(lines), generate
    prefix = "# expect: "
    lines = []
    with open(os.path.join(HERE, case), encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.startswith(prefix):
                break
            lines.append(line[len(prefix):])
    if not lines:
        raise SystemExit(f"{case}: the first line must be '# expect: MESSAGE' (or add {case}.expected)")
    return "\n".join(lines), generate


def generate_input(path, kind, size):
    """Writes a generated input (too large to keep in git) to path."""
    head = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n"
    tail = "spec:\n  containers:\n  - name: app\n    image: nginx:1.27\n"
    with open(path, "w", encoding="ascii") as f:
        if kind == "big-document":
            f.write(head)
            written = len(head) + len(tail)
            i = 0
            while written < size:
                line = f"    label-{i:08d}: value-{i:08d}\n"
                if written + len(line) > size:  # the last bytes: a comment line of the exact length
                    line = ("#" * (size - written - 1) + "\n") if size - written > 1 else "\n"
                f.write(line)
                written += len(line)
                i += 1
            f.write(tail)
        elif kind == "brackets":
            f.write(head[: -len("  labels:\n")] + "  labels: " + "[" * size + "]" * size + "\n" + tail)
        else:
            raise SystemExit(f"unknown generator {kind}")


def run(podsim, command, case, cwd, timeout):
    """Runs one podsim command; returns (returncode, stdout, stderr, seconds)."""
    start = time.monotonic()
    try:
        p = subprocess.run([podsim, command, case], cwd=cwd, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "", "", time.monotonic() - start
    return (p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"),
            time.monotonic() - start)


def check_case(podsim, case, timeout):
    """Returns a list of problems (empty when the case holds)."""
    message, generate = expected_of(case)
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        cwd = HERE
        if generate is not None:
            generate_input(os.path.join(tmp, case), *generate)
            cwd = tmp
        for command in ("validate", "run", "check"):
            rc, out, err, seconds = run(podsim, command, case, cwd, timeout)
            print(f"  podsim {command} {case}: exit {rc} in {seconds:.3f}s")
            where = f"podsim {command} {case}"
            if rc is None:
                problems.append(f"{where}: still running after {timeout}s (a hang)")
                continue
            if any(mark in err or mark in out for mark in SANITIZER_MARKS):
                problems.append(f"{where}: sanitizer report:\n{err}")
            if rc < 0:
                problems.append(f"{where}: killed by signal {-rc}")
            if message == "OK":
                if rc != 0:
                    problems.append(f"{where}: exit status {rc}, expected 0:\n{err[:2000]}")
                continue
            if rc != 2:
                problems.append(f"{where}: exit status {rc}, expected 2")
            if command == "check":
                if f"ERROR {message}\n" not in out:
                    problems.append(f"{where}: stdout lacks 'ERROR {message}':\n{out}{err}")
            else:
                if err != f"error: {message}\n":
                    problems.append(f"{where}: stderr is\n  {err!r}\nexpected\n  {'error: ' + message + chr(10)!r}")
                if out:
                    problems.append(f"{where}: unexpected stdout:\n{out[:2000]}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--podsim", required=True)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--dir", default=None, help="folder of the cases (default: this one)")
    parser.add_argument("cases", nargs="+")
    args = parser.parse_args()
    global HERE
    HERE = os.path.abspath(args.dir or HERE)
    failed = 0
    for case in args.cases:
        problems = check_case(os.path.abspath(args.podsim), case, args.timeout)
        if problems:
            failed += 1
            print(f"FAIL {case}")
            for p in problems:
                print("  " + p)
        else:
            print(f"ok   {case}")
    print(f"{len(args.cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
