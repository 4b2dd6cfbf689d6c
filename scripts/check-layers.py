#!/usr/bin/env python3
"""scripts/check-layers.py: every #include of podsim's own code follows the layers, and no folder cycle exists.

Owns: reading the `#include` lines of the source folders below (SCANNED), mapping each file to its layer through
FOLDERS, and failing on an include that goes against LAYERS (an upward or sideways edge), on an include of an
external library that EXTERNAL reserves to other layers, on a source folder missing from FOLDERS, and on a cycle
between folders. Does not own: the build's link order (CMakeLists.txt enforces the same layers at link time once
there is one library per layer) or includes of system and third-party headers not named in EXTERNAL.

The layers (issue 12; ARCHITECTURE.md), an arrow meaning "may include":
    sim <- api <- kubelet <- scenario, trace <- engine <- report <- cli, python
scenario and trace are siblings: neither includes the other. cluster counts as kubelet, faults as engine, graph as
report. bench and tests sit on top and may include anything.

Usage: scripts/check-layers.py [--root DIR] [--quiet]. Prints one line per violation, `file:line: message`, and
a summary. Exit 0: none; 1: violations; 2: usage error.
"""
import argparse
import os
import re
import sys

# --- configuration -------------------------------------------------------------------------------------------------

# Folder (relative to the root, '/'-separated, longest prefix wins) -> layer.
FOLDERS = {
    "sim/": "sim",
    "models/api/": "api",
    "models/kubelet/": "kubelet",
    "models/cluster/": "kubelet",
    "models/scenario/": "scenario",
    "models/trace/": "trace",
    "models/engine/": "engine",
    "models/faults/": "engine",
    "models/report/": "report",
    "models/graph/": "report",
    "cli/": "cli",
    "python/src/": "python",
    "bench/": "bench",
    "tests/": "tests",
    "fuzz/": "tests",
}

# Layer -> the layers directly below it that it may include. A layer may also include its own files and, through
# the closure, everything below what it lists. None: may include every layer.
LAYERS = {
    "sim": [],
    "api": ["sim"],
    "kubelet": ["api"],
    "scenario": ["kubelet"],
    "trace": ["kubelet"],
    "engine": ["scenario", "trace"],
    "report": ["engine"],
    "cli": ["report"],
    "python": ["report"],
    "bench": None,
    "tests": None,
}

# External headers (prefix of the include path) -> the only layers that may include them.
EXTERNAL = {
    "yaml-cpp/": ["scenario", "tests"],
    "pybind11/": ["python"],
    "CLI/": ["cli"],
}

# The folders whose files are read, and the file endings that count as source.
SCANNED = ["sim", "models", "cli", "python/src", "bench", "tests", "fuzz"]
SOURCE_ENDINGS = (".hpp", ".cpp", ".h", ".inc")

# --- the check -----------------------------------------------------------------------------------------------------

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def layer_of(path):
    """The layer of a root-relative path, or None when no FOLDERS entry covers it."""
    best = None
    for prefix, layer in FOLDERS.items():
        if path.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, layer)
    return best[1] if best else None


def allowed_below():
    """Layer -> the set of layers it may include (its own and the transitive closure of LAYERS), or None."""
    closure = {}

    def visit(layer, seen):
        if layer in closure:
            return closure[layer]
        if layer in seen:
            raise SystemExit(f"check-layers.py: LAYERS has a cycle through {layer!r}")
        direct = LAYERS[layer]
        if direct is None:
            closure[layer] = None
            return None
        result = {layer}
        for below in direct:
            sub = visit(below, seen | {layer})
            result |= sub if sub is not None else set(LAYERS)
        closure[layer] = result
        return result

    for layer in LAYERS:
        visit(layer, set())
    return closure


def source_files(root):
    for top in SCANNED:
        base = os.path.join(root, top)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(SOURCE_ENDINGS):
                    yield os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")


def resolve(root, including, target):
    """The root-relative path a quoted include names: beside the including file first, then from the root."""
    beside = os.path.normpath(os.path.join(os.path.dirname(including), target)).replace(os.sep, "/")
    if os.path.exists(os.path.join(root, beside)):
        return beside
    return os.path.normpath(target).replace(os.sep, "/")


def folder_cycles(edges):
    """Strongly connected components of more than one folder (Tarjan), each a sorted list, sorted."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []
    counter = [0]
    nodes = sorted(set(edges) | {b for targets in edges.values() for b in targets})

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for v in nodes:
        if v not in index:
            strong(v)
    return sorted(result)


def check(root):
    """All violations as (file, line, message), in file order, then the folder cycles."""
    may = allowed_below()
    violations = []
    folder_edges = {}   # folder -> {folder: (file, line)} (the first include that makes the edge)
    unknown = set()
    for path in source_files(root):
        src_layer = layer_of(path)
        if src_layer is None:
            folder = os.path.dirname(path)
            if folder not in unknown:
                unknown.add(folder)
                violations.append((path, 1, f"folder {folder}/ is not in the FOLDERS table of check-layers.py"))
            continue
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
            for lineno, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                kind, target = m.groups()
                if kind == "<":
                    for prefix, layers in EXTERNAL.items():
                        if target.startswith(prefix) and src_layer not in layers:
                            violations.append((path, lineno, f"{src_layer} -> <{target}>: only "
                                               f"{', '.join(layers)} may include {prefix}"))
                    continue
                dest = resolve(root, path, target)
                dst_layer = layer_of(dest)
                if dst_layer is None:
                    continue  # a generated or third-party header outside the scanned folders
                src_folder, dst_folder = os.path.dirname(path), os.path.dirname(dest)
                if src_folder != dst_folder:
                    folder_edges.setdefault(src_folder, {}).setdefault(dst_folder, (path, lineno))
                allowed = may[src_layer]
                if allowed is not None and dst_layer not in allowed:
                    # upward: the included layer sits above the including one; sideways: siblings (scenario, trace)
                    above = may[dst_layer] is None or src_layer in may[dst_layer]
                    direction = "upward" if above else "sideways"
                    violations.append((path, lineno, f"{src_layer} -> {dst_layer} ({direction}): includes {dest}"))
    cycles = []
    for component in folder_cycles({k: set(v) for k, v in folder_edges.items()}):
        members = set(component)
        witness = [f"{a} -> {b} ({folder_edges[a][b][0]}:{folder_edges[a][b][1]})"
                   for a in component for b in sorted(folder_edges.get(a, {})) if b in members]
        cycles.append((component, witness))
    return violations, cycles


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    ap.add_argument("--quiet", action="store_true", help="print the summary only")
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    if not os.path.isdir(os.path.join(root, "models")):
        print(f"check-layers.py: {root} is not the podsim source root", file=sys.stderr)
        return 2
    violations, cycles = check(root)
    if not args.quiet:
        for path, line, message in violations:
            print(f"{path}:{line}: {message}")
        for component, witness in cycles:
            print(f"folder cycle: {' <-> '.join(component)}")
            for w in witness:
                print(f"  {w}")
    edges = {}
    for _, _, message in violations:
        key = message.split(":")[0]
        edges[key] = edges.get(key, 0) + 1
    if violations or cycles:
        print(f"check-layers.py: {len(violations)} include(s) against the layers, {len(cycles)} folder cycle(s)")
        for key in sorted(edges):
            print(f"  {edges[key]:4d}  {key}")
        return 1
    print("check-layers.py: every include follows the layers; no folder cycle")
    return 0


if __name__ == "__main__":
    sys.exit(main())
