#!/usr/bin/env python3
"""tests/check/check_junit.py: `podsim check` as CI uses it: exit statuses, the failure report, JUnit XML.

Rule checked (interface.md section 3, issue 4): `podsim check FILE|DIR... [--junit FILE]` exits 0 when every
expectation holds, 1 when one fails, 2 when a file is bad input; each failure prints its place, what was
expected, what happened instead and the trace lines around it; --junit writes JUnit XML that CI test
reports read: <testsuites> of one <testsuite> per file, one <testcase> per expectation, <failure message=...>
for a failed one and <error> for a file that could not be checked. The XML is read back with a real parser.

Usage: check_junit.py --podsim PATH --source DIR
"""
import argparse
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

KINDS = ["at", "eventually", "never", "always", "order", "together", "backoff", "event", "fingerprint"]


class Failed(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failed(what)


def podsim_check(podsim, args, junit):
    p = subprocess.run([podsim, "check", *args, "--junit", junit], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def read_junit(path):
    root = ET.parse(path).getroot()  # raises on XML that is not well formed
    expect(root.tag == "testsuites", f"root element is <{root.tag}>, not <testsuites>")
    suites = root.findall("testsuite")
    # The counts on every element agree with what it holds.
    total = failures = errors = 0
    for s in suites:
        cases = s.findall("testcase")
        f = sum(1 for c in cases if c.find("failure") is not None)
        e = sum(1 for c in cases if c.find("error") is not None)
        expect(int(s.get("tests")) == len(cases), f"suite {s.get('name')}: tests={s.get('tests')} but {len(cases)} testcases")
        expect(int(s.get("failures")) == f, f"suite {s.get('name')}: failures={s.get('failures')} but {f}")
        expect(int(s.get("errors")) == e, f"suite {s.get('name')}: errors={s.get('errors')} but {e}")
        for c in cases:
            expect(c.get("name") and c.get("classname"), "a testcase without name or classname")
            float(c.get("time"))
        total, failures, errors = total + len(cases), failures + f, errors + e
    expect(int(root.get("tests")) == total, f"testsuites tests={root.get('tests')} but {total}")
    expect(int(root.get("failures")) == failures, f"testsuites failures={root.get('failures')} but {failures}")
    expect(int(root.get("errors")) == errors, f"testsuites errors={root.get('errors')} but {errors}")
    return suites


def test_wrong_expectations(podsim, source, tmp):
    """A scenario with a wrong expectation of each kind: exit 1, nine failures, each with expected/actual/trace."""
    wrong = os.path.join(source, "tests", "check", "wrong-expectations.yaml")
    junit = os.path.join(tmp, "wrong.xml")
    rc, out, err = podsim_check(podsim, [wrong], junit)
    expect(rc == 1, f"exit {rc}, expected 1\n{out}{err}")
    blocks = out.split("FAIL ")[1:]
    expect(len(blocks) == len(KINDS), f"{len(blocks)} failures printed, expected {len(KINDS)}:\n{out}")
    for block in blocks:
        expect("\n  expected: " in block and "\n  actual:   " in block, f"no expected/actual in:\n{block}")
    # Every failure but the fingerprint's points into the trace; the fingerprint says the new value.
    expect(sum(1 for b in blocks if "\n  trace:\n" in b and "\n  > {" in b) == len(KINDS) - 1, f"trace context missing:\n{out}")
    expect(out.rstrip().endswith("0 passed, 9 failed"), f"summary line: {out.splitlines()[-1]!r}")
    suites = read_junit(junit)
    expect(len(suites) == 1, f"{len(suites)} testsuites")
    cases = suites[0].findall("testcase")
    expect(len(cases) == len(KINDS), f"{len(cases)} testcases")
    for c in cases:
        f = c.find("failure")
        expect(f is not None, f"testcase {c.get('name')} has no <failure>")
        expect(f.get("message", "").startswith("expected ") and "; got " in f.get("message"), f"failure message {f.get('message')!r}")
        expect("actual:" in (f.text or ""), f"failure text lacks the actual value: {f.text!r}")
    # What happened instead, as a CI report shows it.
    messages = [c.find("failure").get("message") for c in cases]
    expect(any("got status CrashLoopBackOff, restarts 2" in m for m in messages), f"at: {messages}")
    expect(any("got waits [0s, 10s, 20s, 40s]" in m for m in messages), f"backoff: {messages}")


def test_scenarios_pass(podsim, source, tmp):
    """Every scenario under scenarios/ holds: exit 0, no <failure>, one testsuite per file."""
    junit = os.path.join(tmp, "ok.xml")
    scen = os.path.join(source, "scenarios")
    rc, out, err = podsim_check(podsim, [scen], junit)
    expect(rc == 0, f"exit {rc}, expected 0\n{out}{err}")
    suites = read_junit(junit)
    files = [os.path.join(d, f) for d, _, fs in os.walk(scen) for f in fs if f.endswith((".yaml", ".yml"))]
    expect(len(suites) == len(files), f"{len(suites)} testsuites for {len(files)} files")
    expect(all(s.get("failures") == "0" and s.get("errors") == "0" for s in suites), "a scenario failed")


def test_bad_input(podsim, source, tmp):
    """A bad file among good ones: exit 2 (bad input wins over failures), an <error> naming file:line:col."""
    junit = os.path.join(tmp, "bad.xml")
    bad = os.path.join(source, "tests", "bad_input", "unknown-scenario-field.yaml")
    wrong = os.path.join(source, "tests", "check", "wrong-expectations.yaml")
    rc, out, err = podsim_check(podsim, [wrong, bad], junit)
    expect(rc == 2, f"exit {rc}, expected 2\n{out}{err}")
    suites = read_junit(junit)
    expect(len(suites) == 2, f"{len(suites)} testsuites")
    error = suites[1].find("testcase/error")
    expect(error is not None, "no <error> for the bad file")
    expect(error.get("message") == bad + ':14:3: spec.durtion: unknown field "spec.durtion", did you mean "duration"?',
           f"error message {error.get('message')!r}")
    expect(out.rstrip().endswith("0 passed, 9 failed, 1 not checked (bad input)"), f"summary: {out.splitlines()[-1]!r}")


def test_event_limit(podsim, source, tmp):
    """A run past --max-events stops with an error naming the file, the simulated time and the limit: exit 2."""
    r1 = os.path.join(source, "scenarios", "bench", "r1-web-pod.yaml")
    message = (f"{r1}: the run stopped at 10s of simulated time: more than 10 events "
               "(raise --max-events, or shorten spec.duration)")
    p = subprocess.run([podsim, "run", r1, "--max-events", "10"], capture_output=True, text=True, timeout=60)
    expect(p.returncode == 2, f"run: exit {p.returncode}, expected 2")
    expect(p.stderr == f"error: {message}\n", f"run: stderr {p.stderr!r}")
    junit = os.path.join(tmp, "limit.xml")
    p = subprocess.run([podsim, "check", r1, "--max-events", "10", "--junit", junit], capture_output=True, text=True,
                       timeout=60)
    expect(p.returncode == 2, f"check: exit {p.returncode}, expected 2")
    expect(f"ERROR {message}\n" in p.stdout, f"check: stdout {p.stdout!r}")
    error = read_junit(junit)[0].find("testcase/error")
    expect(error is not None and error.get("message") == message, "check: no <error> with the limit's message")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--podsim", required=True)
    parser.add_argument("--source", required=True)
    args = parser.parse_args()
    tests = [test_wrong_expectations, test_scenarios_pass, test_bad_input, test_event_limit]
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for t in tests:
            try:
                t(os.path.abspath(args.podsim), os.path.abspath(args.source), tmp)
                print(f"ok   {t.__name__}: {t.__doc__.splitlines()[0]}")
            except Failed as e:
                failed += 1
                print(f"FAIL {t.__name__}: {e}")
    print(f"{len(tests) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
