#!/usr/bin/env python3
"""Generate podsim's feature-gate table from the Go sources of each Kubernetes release.

Reads pkg/features/kube_features.go (and versioned_kube_features.go, 1.31/1.32) of every release
1.28..1.37 from the Go module cache (k8s.io/kubernetes@<tag>, fetched with `go mod download`), and
rewrites the block between the GENERATED markers of models/kubelet/feature_gates.cpp.

Two source formats exist:
  - 1.28..1.31: `defaultKubernetesFeatureGates` map, one `Gate: {Default: x, PreRelease: featuregate.Y,
    LockToDefault: z}` per gate (1.31 also has a versioned map for a few gates);
  - 1.31..1.37: `defaultVersionedKubernetesFeatureGates`, a list of `{Version: "1.x", Default, PreRelease,
    LockToDefault}` per gate; the spec in force at release 1.N is the last entry with Version <= 1.N
    (component-base featuregate: VersionedSpecs are sorted by version, the emulation version picks one).
  - 1.35..1.37 also: `defaultKubernetesFeatureGateDependencies` (Gate: {Dep, ...}).

Usage: scripts/gen-feature-gates.py [--modcache DIR] [--check]
  --check: exit 1 if the file would change (for CI), print nothing else.
Each release tag is listed in RELEASES below; fetch a missing one with
  cd /tmp && go mod download -json k8s.io/kubernetes@<tag>
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

# The latest patch release of each minor, as `go list -m -versions k8s.io/kubernetes` listed them
# (1.28.15 and 1.29.15 fetched by tag: the proxy's list omits them).
RELEASES = {
    28: "v1.28.15",
    29: "v1.29.15",
    30: "v1.30.14",
    31: "v1.31.14",
    32: "v1.32.13",
    33: "v1.33.13",
    34: "v1.34.3",
    35: "v1.35.4",
    36: "v1.36.3",
    37: "v1.37.2",
}

# The gates podsim's rules depend on (models/kubelet/*, issue 13). Keep in the order of the C++ enum.
GATES = [
    "SidecarContainers",
    "ContainerRestartRules",
    "RestartAllContainersOnContainerExits",
    "NodeDeclaredFeatures",
    "ReduceDefaultCrashLoopBackOffDecay",
    "KubeletCrashLoopBackOffMax",
    "ChangeContainerStatusOnKubeletRestart",
    "ContainerStopSignals",
    "InPlacePodVerticalScaling",
    "InPlacePodVerticalScalingInitContainers",
    "PodReadyToStartContainersCondition",
    "PodLifecycleSleepAction",
    "PodLifecycleSleepActionAllowZero",
    "PodObservedGenerationTracking",
    "PodLevelResources",
    "ImageVolume",
    "KubeletEnsureSecretPulledImages",
    "PLEGOnDemandRelist",
    "EventedPLEG",
]

STAGES = {"Alpha": "Alpha", "Beta": "Beta", "GA": "GA", "Deprecated": "Deprecated", "PreAlpha": "PreAlpha"}

SPEC_FIELDS = re.compile(r"(\w+):\s*([^,}]+)")


def parse_spec(text: str) -> dict:
    """Fields of one `{Version: ..., Default: ..., PreRelease: ..., LockToDefault: ...}` literal."""
    out = {}
    for key, value in SPEC_FIELDS.findall(text):
        value = value.strip()
        if key == "Version":
            m = re.search(r'"(\d+)\.(\d+)"', value)
            out["version"] = (int(m.group(1)), int(m.group(2)))
        elif key == "Default":
            out["default"] = value == "true"
        elif key == "PreRelease":
            out["stage"] = STAGES[value.split(".")[-1]]
        elif key == "LockToDefault":
            out["locked"] = value == "true"
    out.setdefault("locked", False)
    return out


def block_after(src: str, header: str) -> str:
    """The brace-balanced body of the map literal that starts at `header`."""
    start = src.find(header)
    if start < 0:
        return ""
    i = src.index("{", start + len(header) - 1)
    depth = 0
    for j in range(i, len(src)):
        if src[j] == "{":
            depth += 1
        elif src[j] == "}":
            depth -= 1
            if depth == 0:
                return src[i + 1 : j]
    raise ValueError("unbalanced braces after " + header)


def strip_comments(src: str) -> str:
    return re.sub(r"//[^\n]*", "", src)


def release_specs(features_dir: Path, minor: int) -> tuple[dict, dict]:
    """{gate: spec at release 1.minor} and {gate: [deps]} for one release."""
    src = ""
    for name in ("kube_features.go", "versioned_kube_features.go"):
        p = features_dir / name
        if p.exists():
            src += strip_comments(p.read_text()) + "\n"
    specs: dict[str, dict] = {}
    flat = block_after(src, "defaultKubernetesFeatureGates = map[featuregate.Feature]featuregate.FeatureSpec{")
    for m in re.finditer(r"\n\s*(\w+):\s*(\{[^{}]*\})", flat):
        specs[m.group(1)] = parse_spec(m.group(2))
    versioned = block_after(src, "defaultVersionedKubernetesFeatureGates = map[featuregate.Feature]featuregate.VersionedSpecs{")
    for m in re.finditer(r"\n\s*(\w+):\s*\{((?:\s*\{[^{}]*\},?)*)\s*\}", versioned):
        entries = [parse_spec(e) for e in re.findall(r"\{[^{}]*\}", m.group(2))]
        if entries and entries[0]["version"] == (1, 0):
            # A gate added to switch off behaviour every release had: "1.0 GA" is that old behaviour.
            specs.setdefault("__implicit__", {})[m.group(1)] = entries[0]["default"]
        entries = [e for e in entries if e["version"] <= (1, minor)]
        if entries:
            specs[m.group(1)] = entries[-1]
    deps: dict[str, list[str]] = {}
    dep_block = block_after(src, "defaultKubernetesFeatureGateDependencies = map[featuregate.Feature][]featuregate.Feature{")
    for m in re.finditer(r"\n\s*(\w+):\s*\{([^{}]*)\}", dep_block):
        deps[m.group(1)] = [d.strip() for d in m.group(2).split(",") if d.strip()]
    return specs, deps


def render(table: dict, deps_table: dict, implicit: dict) -> str:
    lines = []
    lines.append("// Generated by scripts/gen-feature-gates.py from pkg/features/kube_features.go of")
    lines.append("// " + ", ".join(RELEASES[m] for m in sorted(RELEASES)) + ". Do not edit by hand.")
    lines.append("constexpr int kFirstMinor = %d;" % min(RELEASES))
    lines.append("constexpr int kLastMinor = %d;" % max(RELEASES))
    lines.append("// kSpecs[gate][minor - kFirstMinor]: {known, stage, default, lockToDefault}. A gate a release does not")
    lines.append("// know is {false, Alpha, d, false}: d is the behaviour that release has without the gate (true only for")
    lines.append("// a gate whose newest spec list starts with a \"1.0\" GA entry, i.e. a switch added to turn old")
    lines.append("// behaviour off, and only for releases before the gate appeared; and for a gate removed after GA, its")
    lines.append("// last default, in the releases after its removal).")
    lines.append("constexpr GateSpec kSpecs[kGateCount][kLastMinor - kFirstMinor + 1] = {")
    for gate in GATES:
        cells = []
        for minor in sorted(RELEASES):
            s = table[gate].get(minor)
            if s is None:
                first_known = min([m for m in table[gate]] or [99])
                last_known = max([m for m in table[gate]] or [0])
                old = implicit.get(gate, False) and minor < first_known
                if minor > last_known:
                    # Removed after graduation: the release behaves as the gate's last default (GA: on).
                    old = table[gate][last_known]["default"]
                cells.append("{false, Stage::Alpha, %s, false}" % str(old).lower())
            else:
                cells.append("{true, Stage::%s, %s, %s}" % (s["stage"], str(s["default"]).lower(), str(s["locked"]).lower()))
        lines.append("    // " + gate + ": " + " ".join(
            "1.%d=%s" % (m, "-" if table[gate].get(m) is None else table[gate][m]["stage"] + ("+on" if table[gate][m]["default"] else "")
                          + ("+locked" if table[gate][m]["locked"] else ""))
            for m in sorted(RELEASES)))
        lines.append("    {" + ", ".join(cells) + "},")
    lines.append("};")
    lines.append("// Dependencies (defaultKubernetesFeatureGateDependencies, 1.35+), among the gates above:")
    lines.append("// {gate, dependency, first minor that declares it}.")
    lines.append("constexpr GateDependency kDependencies[] = {")
    rows = []
    for gate in GATES:
        for dep in GATES:
            minors = [m for m in sorted(RELEASES) if dep in deps_table.get(m, {}).get(gate, [])]
            if minors:
                rows.append("    {Gate::%s, Gate::%s, %d}," % (gate, dep, minors[0]))
    lines.extend(rows if rows else ["    {Gate::SidecarContainers, Gate::SidecarContainers, 0},"])
    lines.append("};")
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--modcache", default=os.environ.get("GOMODCACHE", str(Path.home() / "go/pkg/mod")))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    table: dict[str, dict[int, dict]] = {g: {} for g in GATES}
    deps_table: dict[int, dict] = {}
    implicit: dict[str, bool] = {}
    for minor, tag in sorted(RELEASES.items()):
        d = Path(args.modcache) / "k8s.io" / ("kubernetes@" + tag) / "pkg" / "features"
        if not d.is_dir():
            print(f"missing {d}: run `cd /tmp && go mod download -json k8s.io/kubernetes@{tag}`", file=sys.stderr)
            return 2
        specs, deps = release_specs(d, minor)
        deps_table[minor] = deps
        implicit.update(specs.pop("__implicit__", {}))
        for g in GATES:
            if g in specs:
                table[g][minor] = specs[g]
    block = render(table, deps_table, implicit)
    target = Path(__file__).resolve().parent.parent / "models" / "kubelet" / "feature_gates.cpp"
    text = target.read_text()
    begin, end = "// BEGIN GENERATED feature gates\n", "// END GENERATED feature gates\n"
    a, b = text.index(begin) + len(begin), text.index(end)
    new = text[:a] + block + text[b:]
    if args.check:
        return 0 if new == text else 1
    if new != text:
        target.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
