"""podsim._sweep: many runs of one scenario (variants x seeds) on C++ threads, or spread over Dask.

Owns ``sweep``: turns variants and seeds into the engine's sweep (C++: models/engine/sweep, the same code
``podsim sweep`` runs), waits with the GIL released (a tqdm bar when it takes over a second), and turns
the rows into one DataFrame. With a ``distributed.Client`` it splits the runs into chunks, each chunk one
C++ sweep on a worker, and joins the chunks in the same order. Does not own any run's logic.
"""

from __future__ import annotations

import itertools
import math
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import _core
from ._api import NS_PER_SECOND, YAML, Scenario, Source, load, normalize_overrides

#: Per-pod columns of a sweep row, in the order and spelling of ``podsim sweep``'s CSV (``POD.metric``).
POD_METRICS = ("phase", "status", "ready", "restarts", "timeToInitialized", "timeToReady", "readyTime",
               "fractionReady")


def _variants(variants: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """Variants as a list of ``{path: value}`` and the parameter paths in order of first appearance.

    Accepts None (one variant: the scenario as is), a list of variants (each a mapping ``{path: value}``,
    or a list of ``"PATH=VALUE"`` strings with VALUE as YAML text), or a mapping ``{path: [values...]}``
    (the product of the values, first path slowest, as ``podsim sweep --set``).
    """
    if variants is None:
        return [{}], []
    paths: list[str] = []
    if isinstance(variants, Mapping):
        paths = [str(p) for p in variants]
        values = []
        for p in variants:
            v = variants[p]
            values.append(list(v) if isinstance(v, (list, tuple, np.ndarray, range)) else [v])
        return [dict(zip(paths, combo)) for combo in itertools.product(*values)], paths
    out: list[dict[str, Any]] = []
    for v in variants:
        if isinstance(v, str):
            v = [v]
        if isinstance(v, Mapping):
            out.append(dict(v))
        else:  # "PATH=VALUE" strings (VALUE is YAML text, as with --set) or (path, value) pairs
            d: dict[str, Any] = {}
            for item in v:
                if isinstance(item, str):
                    if "=" not in item:
                        raise ValueError(f"variant {item!r}: expected PATH=VALUE")
                    path, value = item.split("=", 1)
                    d[path] = YAML(value)
                else:
                    d[str(item[0])] = item[1]
            out.append(d)
    for v in out:
        for p in v:
            if p not in paths:
                paths.append(p)
    return (out or [{}]), paths


def _seeds(seeds: Any, default: int) -> list[int]:
    """Seeds as a list: None (the scenario's seed), an int N (1..N), ``"A..B"``, or any iterable of ints."""
    if seeds is None:
        return [int(default)]
    if isinstance(seeds, (int, np.integer)):
        if seeds < 1:
            raise ValueError(f"seeds={seeds}: give a positive count, an 'A..B' range or a list of seeds")
        return list(range(1, int(seeds) + 1))
    if isinstance(seeds, str):
        m = re.fullmatch(r"\s*(\d+)\s*(?:\.\.\s*(\d+)\s*)?", seeds)
        if not m:
            raise ValueError(f"seeds={seeds!r}: expected 'A..B' or 'N'")
        a = int(m.group(1))
        b = int(m.group(2)) if m.group(2) else a
        if b < a:
            raise ValueError(f"seeds={seeds!r}: B is less than A")
        return list(range(a, b + 1))
    out = [int(s) for s in seeds]
    if any(s < 0 or s >= 2**64 for s in out):
        raise ValueError("seeds must be integers in [0, 2**64)")
    return out


def _strings(pair: tuple[np.ndarray, list[str]]) -> pd.Series:
    codes, categories = pair
    cats = np.empty(len(categories) + 1, dtype=object)
    cats[:-1] = categories
    cats[-1] = None
    return pd.Series(cats[codes], dtype=object)  # code -1 picks the trailing None; object, as in every chunk


def _seconds(ns: np.ndarray) -> np.ndarray:
    s = ns / NS_PER_SECOND
    s[ns < 0] = np.nan
    return s


def _frame(raw: dict, variants: list[dict[str, Any]], paths: list[str], variant_offset: int = 0,
           pods: list[str] | None = None) -> pd.DataFrame:
    """The rows of one C++ sweep as a DataFrame (see ``sweep`` for the columns).

    ``pods``: the pod columns to make (default the pods this sweep reported); a pod it did not report
    gets null columns of the same dtypes, so that chunks of a distributed sweep join as one local sweep.
    """
    vidx = raw["variant"] + variant_offset
    n = len(vidx)
    cols: dict[str, Any] = {}
    for p in paths:
        cols[p] = pd.Series([variants[i].get(p) for i in vidx], dtype=object)
    cols["variant"] = vidx
    cols["seed"] = raw["seed"]
    reported = dict(zip(raw["pods"], raw["podColumns"]))
    for name in (raw["pods"] if pods is None else pods):
        pc = reported.get(name)
        if pc is None:
            none = np.full(n, -1, dtype=np.int64)
            pc = {"phase": (np.full(n, -1, dtype=np.int32), []), "status": (np.full(n, -1, dtype=np.int32), []),
                  "ready": (np.full(n, -1, dtype=np.int32), []), "restarts": none, "initializedAt": none,
                  "readyAt": none, "readyTime": none, "fractionReady": np.full(n, np.nan)}
        restarts = pc["restarts"]
        cols[f"{name}.phase"] = _strings(pc["phase"])
        cols[f"{name}.status"] = _strings(pc["status"])
        cols[f"{name}.ready"] = _strings(pc["ready"])
        cols[f"{name}.restarts"] = pd.arrays.IntegerArray(restarts, restarts < 0)
        cols[f"{name}.timeToInitialized"] = _seconds(pc["initializedAt"])
        cols[f"{name}.timeToReady"] = _seconds(pc["readyAt"])
        cols[f"{name}.readyTime"] = _seconds(pc["readyTime"])
        cols[f"{name}.fractionReady"] = pc["fractionReady"]
    cols["duration"] = raw["duration"] / NS_PER_SECOND
    cols["events"] = raw["events"]
    err = np.array(raw["error"], dtype=object)
    err[err == ""] = None
    cols["error"] = pd.Series(err, dtype=object)
    return pd.DataFrame(cols)


def _run_job(job: "_core.SweepJob", progress: bool | None, desc: str) -> dict:
    """Starts a C++ sweep and waits (GIL released); a tqdm bar when it lasts over a second (or if asked)."""
    job.start()
    try:
        if progress is False or (progress is None and job.wait(1.0)):
            while not job.wait(0.1):  # back in Python every 0.1 s, so that Ctrl-C is seen at once
                pass
            return job.result()
        from tqdm.auto import tqdm
        with tqdm(total=job.total, desc=desc, unit="run") as bar:
            while not job.wait(0.1):
                bar.update(job.done - bar.n)
            bar.update(job.done - bar.n)
        return job.result()
    except BaseException:  # Ctrl-C in a notebook: stop the runs not started yet, then re-raise
        job.cancel()
        job.wait(3600.0)
        raise


def sweep_chunk(text: str, label: str, overrides: list[list[tuple[str, str]]], seeds: list[int], threads: int) -> dict:
    """One chunk of a distributed sweep, run on a worker: the raw columns of a C++ sweep.

    ``text``/``label``: the scenario's YAML and its file label; ``overrides``: one list of (path, YAML)
    per variant; ``threads``: C++ threads (0: one per hardware thread). Module-level so that it pickles.
    """
    job = _core.SweepJob(text, label, overrides, seeds, threads)
    job.start()
    job.wait(1e9)
    return job.result()


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl-C (KeyboardInterrupt) during ``sweep``: the runs not started were cancelled; ``partial`` holds
    the DataFrame of the runs that finished (the same columns as the whole sweep's)."""

    def __init__(self, partial: pd.DataFrame, total: int) -> None:
        super().__init__(f"sweep interrupted: {len(partial)} of {total} runs finished (see .partial)")
        self.partial = partial


#: Count and time metrics whose absence in a run means 0 (the others: NaN). See docs/metrics.md.
_ZERO_WHEN_ABSENT = ("timeIn:", "events:")


def _metrics_frame(raw: dict, variants: list[dict[str, Any]], paths: list[str], tidy: bool) -> pd.DataFrame:
    """The rows of a C++ sweep run with metrics, tidy or wide (see ``sweep``)."""
    vidx = raw["variant"]
    m = raw["metrics"]
    err = np.array(raw["error"], dtype=object)
    err[err == ""] = None
    if tidy:
        row, key = m["row"], m["key"]
        cols: dict[str, Any] = {}
        for p in paths:
            cols[p] = pd.Series([variants[i].get(p) for i in vidx[row]], dtype=object)
        cols["variant"] = vidx[row]
        cols["seed"] = raw["seed"][row]
        for name in ("pod", "container", "metric"):
            cols[name] = pd.Categorical.from_codes(*_codes(m[name], key))
        cols["value"] = m["value"]
        cols["text"] = pd.Categorical.from_codes(*_codes(m["text"], key))
        return pd.DataFrame(cols)
    n = len(vidx)
    columns = list(dict.fromkeys(m["column"]))
    where = {c: i for i, c in enumerate(columns)}
    numeric = np.full((len(columns), n), np.nan)
    ok = err == None  # noqa: E711 - elementwise
    for c in columns:
        if c.rsplit(".", 1)[-1].startswith(_ZERO_WHEN_ABSENT):
            numeric[where[c], ok] = 0.0
    colidx = np.array([where[c] for c in m["column"]], dtype=np.int64)
    numeric[colidx[m["key"]], m["row"]] = m["value"]
    texts: dict[int, np.ndarray] = {}
    for k, t in enumerate(m["text"]):
        if t is not None:
            texts.setdefault(int(colidx[k]), np.full(n, None, dtype=object))
    for k, r in zip(m["key"], m["row"]):
        t = m["text"][k]
        if t is not None:
            texts[int(colidx[k])][r] = t
    out: dict[str, Any] = {}
    for p in paths:
        out[p] = pd.Series([variants[i].get(p) for i in vidx], dtype=object)
    out["variant"] = vidx
    out["seed"] = raw["seed"]
    for i, c in enumerate(columns):
        out[c] = pd.Categorical(texts[i]) if i in texts else numeric[i]
    out["error"] = pd.Series(err, dtype=object)
    return pd.DataFrame(out)


def _codes(names: list, key: np.ndarray) -> tuple[np.ndarray, list]:
    """Category codes per tidy row from a per-key list of names (None: missing)."""
    cats = list(dict.fromkeys(x for x in names if x is not None))
    where = {c: i for i, c in enumerate(cats)}
    per_key = np.array([where[x] if x is not None else -1 for x in names] or [-1], dtype=np.int64)
    return per_key[key] if len(key) else np.empty(0, dtype=np.int64), cats


def sweep(scenario: Source, variants: Any = None, seeds: Any = None, threads: int | None = None, *,
          client: Any = None, progress: bool | None = None, chunk_size: int | None = None,
          metrics: Sequence[str] | None = None, tidy: bool = False) -> pd.DataFrame:
    """Runs every variant x seed of a scenario and returns one DataFrame row per run.

    The runs are the C++ engine's (the same as ``podsim sweep``), each with the trace off, on ``threads``
    C++ threads with the GIL released; a run that fails (a variant the loader rejects, the event limit)
    fills its row's ``error`` and the sweep goes on.

    Args:
        scenario: a Scenario or anything ``podsim.load`` accepts.
        variants: None (the scenario as is); a list of variants, each ``{path: value}`` or a list of
            ``"PATH=VALUE"`` strings; or ``{path: [values]}`` (the product, first path slowest). Paths and
            values as ``load``'s overrides.
        seeds: an int N (seeds 1..N), ``"A..B"``, an iterable of ints; default the scenario's seed.
        threads: C++ threads (default: one per hardware thread); with ``client``, threads per chunk
            (default 1: Dask runs chunks side by side).
        client: a ``distributed.Client``: the runs are split into chunks of at most ``chunk_size`` seeds of
            one variant, each chunk a C++ sweep on a worker; the result is the same as without it.
            ``spec.manifests`` paths must resolve on the workers.
        progress: True / False to show / hide a tqdm bar; None shows it when the sweep lasts over 1 s.
        chunk_size: seeds per Dask chunk (default: about 4 chunks per worker thread).
        metrics: names from docs/metrics.md (``restarts``, ``timeIn``, ``events``, ``probeFailures``,
            ``timeToReady``, ``timeToInitialized``, ``timeToFirstRestart``, ``fractionReady``, ``phase``,
            ``status``), computed in C++ during each run (the trace is not kept) instead of the default
            columns. Not yet with ``client``.
        tidy: with ``metrics``: one row per run, pod, container and metric (columns: the variant paths,
            ``variant``, ``seed``, ``pod`` (``namespace/name``), ``container`` (null for the pod),
            ``metric`` (``timeIn:Running``), ``value`` (float: s, counts, fractions; NaN for text and for
            times never reached) and ``text`` (the value of ``phase`` and ``status``)); failed runs have no
            rows. Otherwise wide: one column per ``<pod>.<metric>`` or ``<pod>.<container>.<metric>``
            (``timeIn:*`` and ``events:*`` 0 where a run has none), then ``error``.

    Returns: a DataFrame, rows variant-major then seeds in the order given, columns: one per variant
        path (its value), ``variant`` (index into the variants), ``seed``, then per pod ``POD.phase``,
        ``POD.status``, ``POD.ready`` (``N/M``), ``POD.restarts`` (Int64), ``POD.timeToInitialized``,
        ``POD.timeToReady``, ``POD.readyTime`` (s, float, NaN when never reached), ``POD.fractionReady``
        (readyTime / duration), all as in the CSV of ``podsim sweep``; then ``duration`` (s simulated),
        ``events`` (events processed) and ``error`` (None, or the message; pod columns then null).
    Raises: ScenarioError when the scenario itself does not load or a metric is unknown; ValueError for
        bad seeds; SweepInterrupted (a KeyboardInterrupt) on Ctrl-C, within about a run per thread, with
        the finished runs' frame in ``.partial``.
    """
    sc = scenario if isinstance(scenario, Scenario) else load(scenario)
    var_list, paths = _variants(variants)
    seed_list = _seeds(seeds, sc.seed)
    ov = [normalize_overrides(v) for v in var_list]
    if len(seed_list) > 1 and not _core.sweep_uses_randomness(sc.text, sc.file, ov):
        warnings.warn(f"{sc.name}: nothing is drawn from the seed (ideal timing, no random faults): every seed "
                      "gives the same run", stacklevel=2)
    if client is None:
        names = [] if metrics is None else [str(x) for x in metrics]
        job = _core.SweepJob(sc.text, sc.file, ov, seed_list, 0 if threads is None else int(threads), names)

        def frame(raw: dict) -> pd.DataFrame:
            return _metrics_frame(raw, var_list, paths, tidy) if names else _frame(raw, var_list, paths)
        try:
            return frame(_run_job(job, progress, f"podsim sweep {sc.name}"))
        except KeyboardInterrupt:  # _run_job has cancelled and waited: keep what finished
            raw = job.result()
            done = np.array([e != "cancelled" for e in raw["error"]], dtype=bool)
            partial = frame(raw)
            if not (names and tidy):  # tidy frames have no rows for runs that did not finish
                partial = partial[done]
            raise SweepInterrupted(partial.reset_index(drop=True), len(done)) from None
    if metrics is not None:
        raise ValueError("metrics= is not supported with client= yet")

    # Dask: contiguous chunks of one variant's seeds, so the joined rows keep the local order.
    if chunk_size is None:
        try:
            workers = sum(client.nthreads().values())
        except Exception:  # pragma: no cover - a client without nthreads()
            workers = 1
        chunk_size = max(1, math.ceil(len(var_list) * len(seed_list) / max(1, 4 * workers)))
    tasks = []
    for v in range(len(var_list)):
        for i in range(0, len(seed_list), chunk_size):
            tasks.append((v, seed_list[i:i + chunk_size]))
    per_chunk_threads = 1 if threads is None else int(threads)
    futures = [client.submit(sweep_chunk, sc.text, sc.file, [ov[v]], s, per_chunk_threads, pure=False)
               for v, s in tasks]
    if progress is not False:
        from distributed import as_completed
        from distributed import wait as wait_all
        quick = False
        if progress is None:
            try:
                wait_all(futures, timeout=1.0)
                quick = True
            except Exception:  # distributed's TimeoutError: still running after a second
                quick = False
        if not quick:
            from tqdm.auto import tqdm
            size = {f.key: len(s) for f, (_, s) in zip(futures, tasks)}
            with tqdm(total=len(var_list) * len(seed_list), desc=f"podsim sweep {sc.name} (dask)", unit="run") as bar:
                for f in as_completed(futures):
                    bar.update(size[f.key])
    raws = client.gather(futures)
    pods: list[str] = []
    for raw in raws:
        pods += [p for p in raw["pods"] if p not in pods]
    frames = [_frame(raw, var_list, paths, variant_offset=v, pods=pods) for raw, (v, _) in zip(raws, tasks)]
    return pd.concat(frames, ignore_index=True)
