"""podsim._sweep: many runs of one scenario (variants x seeds) on C++ threads, or spread over Dask.

Owns ``sweep``: turns variants and seeds into the engine's sweep (C++: models/engine/sweep, the same code
``podsim sweep`` runs), waits with the GIL released (a tqdm bar when it takes over a second), and turns
the rows into one DataFrame. With a ``distributed.Client`` it checks the workers' podsim, splits the runs
into chunks of variants x seeds, each chunk C++ sweeps on a worker (retried if the worker dies), and joins
the chunks in the same order, or has the workers write them as Parquet. Does not own any run's logic.

Seeds mean the same here and on the command line (``podsim sweep --seeds``): an int N (or the text ``"N"``)
is the N seeds 1..N, ``"A..B"`` the seeds A to B inclusive, ``"A,B,C"`` or a list exactly those seeds.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import threading
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import _core
from ._api import (NS_PER_SECOND, YAML, Scenario, Source, _category_index, _namespaced, check_seed, load,
                   normalize_overrides, to_ns)

#: Per-pod columns of a sweep row, in the order and spelling of ``podsim sweep``'s CSV (``POD.metric``).
POD_METRICS = ("phase", "status", "ready", "restarts", "timeToInitialized", "timeToReady", "readyTime",
               "fractionReady")

#: The layouts of a sweep's frame: one row per run (``POD.metric`` columns) or one row per run and pod.
LAYOUTS = ("runs", "pods")


# --- variants and their parameter columns -----------------------------------------------------------

def _plain(v: Any) -> Any:
    """A numpy scalar as its Python value; an integral float as an int (an integer field rejects ``5.0``)."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    return v


def _is_null(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, (float, np.floating)) and math.isnan(v))


def _variants(variants: Any, params: Mapping[str, str] | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """Variants as a list of ``{column: value}`` and the parameter columns in order of first appearance.

    Accepts None (one variant: the scenario as is), a list of variants (each a mapping ``{path: value}``,
    or a list of ``"PATH=VALUE"`` strings with VALUE as YAML text), a mapping ``{path: [values...]}`` (the
    product of the values, first path slowest, as ``podsim sweep --set``), or a DataFrame (one row a
    variant, one column a parameter; a null cell leaves that field as the scenario has it). A column is an
    override path, or a short name that ``params`` maps to one.
    """
    if variants is None:
        return [{}], []
    if isinstance(variants, pd.DataFrame):
        cols = [str(c) for c in variants.columns]
        rows = []
        for rec in variants.itertuples(index=False, name=None):
            rows.append({c: v for c, v in zip(cols, rec)})
        return (rows or [{}]), cols
    paths: list[str] = []
    if isinstance(variants, Mapping):
        paths = [str(p) for p in variants]
        values = []
        for p in variants:
            v = variants[p]
            values.append(list(v) if isinstance(v, (list, tuple, np.ndarray, range, pd.Series)) else [v])
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


def _overrides(variant: Mapping[str, Any], params: Mapping[str, str]) -> list[tuple[str, str]]:
    """One variant's overrides for the engine: short names mapped to paths, null cells left out."""
    return normalize_overrides({params.get(c, c): _plain(v) for c, v in variant.items() if not _is_null(v)})


def _scalar(v: Any) -> Any:
    """A parameter value for its column: YAML text read as the scalar it is (``"5"`` -> 5, ``"true"`` ->
    True, ``"5s"`` -> "5s"), numpy scalars as Python values."""
    if isinstance(v, YAML):
        t = str(v).strip()
        try:
            return json.loads(t)
        except ValueError:
            low = t.lower()
            if low in ("true", "false"):
                return low == "true"
            return t.strip("'\"")
    if isinstance(v, np.generic):
        return v.item()
    return v


def _is_duration(v: Any) -> bool:
    if not isinstance(v, str):
        return False
    try:
        to_ns(v)
        return True
    except ValueError:
        return False


def _param_column(values: Sequence[Any]) -> Any:
    """A parameter's values (one per variant) as one typed column: bools boolean, integers Int64, numbers
    float64, numbers and Go durations float **seconds**, anything else categorical text (lists and dicts as
    JSON). Null cells stay null."""
    vals = [None if _is_null(v) else _scalar(v) for v in values]
    present = [v for v in vals if v is not None]
    missing = np.array([v is None for v in vals], dtype=bool)
    is_bool = [isinstance(v, bool) for v in present]
    is_int = [isinstance(v, int) and not isinstance(v, bool) for v in present]
    is_num = [isinstance(v, (int, float)) and not isinstance(v, bool) for v in present]
    if present and all(is_bool):
        return pd.arrays.BooleanArray(np.array([bool(v) for v in vals], dtype=bool), missing)
    if present and all(is_int):
        return pd.arrays.IntegerArray(np.array([0 if v is None else v for v in vals], dtype=np.int64), missing)
    if present and all(is_num):
        return np.array([np.nan if v is None else float(v) for v in vals], dtype=np.float64)
    if present and all(n or _is_duration(v) for v, n in zip(present, is_num)):
        return np.array([np.nan if v is None else (to_ns(v) / NS_PER_SECOND if isinstance(v, str) else float(v))
                         for v in vals], dtype=np.float64)
    text = [None if v is None else v if isinstance(v, str) else json.dumps(v) for v in vals]
    arr = np.empty(len(text), dtype=object)
    arr[:] = text
    return pd.Categorical(arr, categories=_category_index(sorted({t for t in text if t is not None})))


def parameter_table(variants: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """One row per variant (index: the variant's number), one typed column per parameter (see
    ``_param_column``)."""
    return pd.DataFrame({c: _param_column([v.get(c) for v in variants]) for c in columns},
                        index=pd.RangeIndex(len(variants)))


def _seeds(seeds: Any, default: int) -> list[int]:
    """Seeds as a list, with the meaning of ``podsim sweep --seeds``: None (the scenario's seed), an int N
    or the text ``"N"`` (the seeds 1..N), ``"A..B"`` (A to B inclusive), ``"A,B,C"`` or any iterable of ints.
    Raises ValueError naming ``seeds`` for anything else."""
    if seeds is None:
        return [int(default)]
    if isinstance(seeds, (bool, np.bool_)):
        raise TypeError(f"seeds={seeds!r}: give a count N (seeds 1..N), 'A..B', 'A,B,C' or a list of seeds")
    if isinstance(seeds, (int, np.integer)):
        if seeds < 1:
            raise ValueError(f"seeds={seeds}: give a positive count N (the seeds 1..N), an 'A..B' range or a list")
        return list(range(1, int(seeds) + 1))
    if isinstance(seeds, str):
        t = seeds.strip()
        if re.fullmatch(r"\d+(\s*,\s*\d+)+", t):
            return [check_seed(int(x), "seeds") for x in t.split(",")]
        m = re.fullmatch(r"(\d+)(?:\s*\.\.\s*(\d+))?", t)
        if not m:
            raise ValueError(f"seeds={seeds!r}: expected N (the seeds 1..N), 'A..B' or 'A,B,C'")
        if m.group(2) is None:
            return _seeds(int(m.group(1)), default) if int(m.group(1)) >= 1 else _seeds(0, default)
        a, b = int(m.group(1)), int(m.group(2))
        if b < a:
            raise ValueError(f"seeds={seeds!r}: B is less than A")
        return list(range(check_seed(a, "seeds"), check_seed(b, "seeds") + 1))
    return [check_seed(s if not isinstance(s, np.integer) else int(s), "seeds") for s in seeds]


# --- engine columns -> DataFrames --------------------------------------------------------------------

def _strings(pair: tuple[np.ndarray, list[str]]) -> pd.Categorical:
    codes, categories = pair
    return pd.Categorical.from_codes(np.asarray(codes), categories=_category_index(categories))


def _seconds(ns: np.ndarray) -> np.ndarray:
    s = ns / NS_PER_SECOND
    s[ns < 0] = np.nan
    return s


def _pod_keys(raw: dict, scenario_pods: Sequence[str]) -> list[str]:
    """The ``namespace/name`` of each pod the engine reported (bare name and which of that name it is)."""
    by_name: dict[str, list[str]] = {}
    for key in scenario_pods:
        by_name.setdefault(key.split("/", 1)[1], []).append(key)
    out = []
    for name, k in zip(raw["pods"], raw.get("podOccurrence", [0] * len(raw["pods"]))):
        keys = by_name.get(name, [])
        out.append(keys[k] if k < len(keys) else f"default/{name}" if k == 0 else f"default#{k}/{name}")
    return out


def pod_prefixes(keys: Sequence[str]) -> dict[str, str]:
    """The column prefix of each pod in the ``runs`` layout: its bare name, as in the CSV of ``podsim
    sweep``, unless another pod has that name in another namespace: then its ``namespace/name``."""
    names = [k.split("/", 1)[1] for k in keys]
    return {k: (n if names.count(n) == 1 else k) for k, n in zip(keys, names)}


def _frame(raw: dict, ptable: pd.DataFrame, variant_ids: Sequence[int], scenario_pods: Sequence[str],
           layout: str = "runs") -> pd.DataFrame:
    """The rows of one C++ sweep as a DataFrame (see ``sweep`` for the columns).

    ``variant_ids``: the sweep-wide number of each of this C++ sweep's variants; ``ptable``: the typed
    parameter table of the whole sweep (so that every chunk of a distributed sweep has the same column
    types and categories); ``scenario_pods``: the scenario's pods (``namespace/name``) in order.
    """
    vidx = np.asarray(variant_ids, dtype=np.int64)[np.asarray(raw["variant"], dtype=np.int64)]
    n = len(vidx)
    base = ptable.loc[vidx].reset_index(drop=True) if len(ptable.columns) else pd.DataFrame(index=range(n))
    base["variant"] = vidx
    base["seed"] = np.asarray(raw["seed"], dtype=np.uint64)
    keys = list(dict.fromkeys(list(scenario_pods) + _pod_keys(raw, scenario_pods)))
    reported = dict(zip(_pod_keys(raw, scenario_pods), raw["podColumns"]))
    per_pod: dict[str, dict[str, Any]] = {}
    for key in keys:
        pc = reported.get(key)
        if pc is None:
            none = np.full(n, -1, dtype=np.int64)
            nostr = (np.full(n, -1, dtype=np.int32), [])
            pc = {"phase": nostr, "status": nostr, "ready": nostr, "restarts": none, "initializedAt": none,
                  "readyAt": none, "readyTime": none, "fractionReady": np.full(n, np.nan)}
        restarts = np.asarray(pc["restarts"])
        per_pod[key] = {
            "phase": _strings(pc["phase"]), "status": _strings(pc["status"]), "ready": _strings(pc["ready"]),
            "restarts": pd.arrays.IntegerArray(restarts.astype(np.int64), restarts < 0),
            "timeToInitialized": _seconds(np.asarray(pc["initializedAt"])),
            "timeToReady": _seconds(np.asarray(pc["readyAt"])),
            "readyTime": _seconds(np.asarray(pc["readyTime"])),
            "fractionReady": np.asarray(pc["fractionReady"], dtype=np.float64)}
    err = np.array(raw["error"], dtype=object)
    err[err == ""] = None
    tail = {"duration": np.asarray(raw["duration"]) / NS_PER_SECOND, "events": np.asarray(raw["events"], dtype=np.uint64),
            "error": pd.Categorical(err, categories=_category_index(sorted({e for e in err if e is not None})))}
    if layout == "runs":
        prefix = pod_prefixes(keys)
        cols = {f"{prefix[k]}.{m}": v for k in keys for m, v in per_pod[k].items()}
        return pd.concat([base, pd.DataFrame(cols), pd.DataFrame(tail)], axis=1)
    # one row per run and pod: run-major, pods in the scenario's order
    m = len(keys)
    order = np.arange(n * m).reshape(m, n).T.ravel()  # row r*m + p of the result is pod p of run r
    parts = []
    for k in keys:
        block = base.copy()
        block["pod"] = k
        for name, v in per_pod[k].items():
            block[name] = v
        for name, v in tail.items():
            block[name] = v
        parts.append(block)
    out = _concat(parts).take(order).reset_index(drop=True) if parts else base.assign(**tail)
    out["pod"] = pd.Categorical(out["pod"], categories=_category_index(keys))
    return out


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Frames of the same columns one after another, categorical columns kept categorical (the union of
    their categories, in order of first appearance)."""
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    cats = [c for c in frames[0].columns if isinstance(frames[0][c].dtype, pd.CategoricalDtype)]
    out = pd.concat(frames, ignore_index=True)
    for c in cats:
        if c in out and not isinstance(out[c].dtype, pd.CategoricalDtype):
            seen: dict[Any, None] = {}
            for f in frames:
                if c in f and isinstance(f[c].dtype, pd.CategoricalDtype):
                    seen.update(dict.fromkeys(f[c].cat.categories))
            out[c] = pd.Categorical(out[c], categories=_category_index(list(seen)))
    return out


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


# --- Dask ----------------------------------------------------------------------------------------------

#: Evaluated on each worker by ``client.run(eval, ...)``: a builtin, so that the check itself unpickles on a
#: worker without podsim (and reports the ImportError instead of failing to start).
_VERSION_PROBE = "__import__('podsim').__version__"


def check_workers(client: Any, timeout: float = 30.0) -> dict[str, str]:
    """Checks that every worker of ``client`` imports the same podsim version as this process.

    Returns ``{worker address: version}``. Raises RuntimeError naming each worker that cannot import
    podsim or has another version (with the worker's error), or when there are no workers; TimeoutError
    when the workers do not answer within ``timeout`` seconds (never hangs).
    """
    from . import __version__
    answers: dict[str, Any] = {}
    failure: list[BaseException] = []

    def ask() -> None:
        try:
            answers.update(client.run(eval, _VERSION_PROBE, on_error="return"))
        except BaseException as e:  # noqa: BLE001 - reported below
            failure.append(e)

    t = threading.Thread(target=ask, name="podsim-check-workers", daemon=True)
    t.start()
    t.join(timeout)
    if t.is_alive():
        raise TimeoutError(f"podsim.sweep: the Dask workers did not answer within {timeout:g} s whether they import "
                           f"podsim {__version__}; is the scheduler reachable and are its workers alive?")
    if failure:
        raise RuntimeError(f"podsim.sweep: could not ask the Dask workers for their podsim: {failure[0]!r}") from failure[0]
    if not answers:
        raise RuntimeError("podsim.sweep: the Dask cluster has no workers")
    bad = {w: v for w, v in answers.items() if v != __version__}
    if bad:
        lines = "; ".join(f"{w}: {v!r}" if isinstance(v, BaseException) else f"{w}: podsim {v}" for w, v in sorted(bad.items()))
        raise RuntimeError(f"podsim.sweep: every Dask worker must import podsim {__version__} (as this client); "
                           f"these do not: {lines}. Install the same podsim on every worker (pip install podsim=="
                           f"{__version__}, or the same wheel).")
    return {w: str(v) for w, v in answers.items()}


def sweep_chunk(text: str, label: str, segments: list[tuple[int, list[tuple[str, str]], list[int]]],
                ptable: pd.DataFrame, scenario_pods: list[str], layout: str, threads: int,
                out: str | None = None, part: int = 0) -> Any:
    """One chunk of a distributed sweep, run on a worker: a contiguous run of (variant, seed) pairs.

    ``text``/``label``: the scenario's self-contained YAML and its file label; ``segments``: (variant number,
    its overrides, its seeds in this chunk); ``threads``: C++ threads (0: one per hardware thread). Returns the
    chunk's DataFrame, or with ``out`` writes it as ``out/part-NNNNN.parquet`` (written to a temporary name
    and renamed: a retried chunk replaces its file, never adds one) and returns its row count.
    Module-level so that it pickles by reference.
    """
    frames = []
    for vs, ovs, seeds in _grouped(segments):
        job = _core.SweepJob(text, label, ovs, seeds, threads)
        job.start()
        job.wait(1e9)
        frames.append(_frame(job.result(), ptable, vs, scenario_pods, layout))
    df = _concat(frames)
    if out is None:
        return df
    return _write_part(df, out, part)


def metrics_chunk(text: str, label: str, segments: list[tuple[int, list[tuple[str, str]], list[int]]],
                  threads: int, metrics: list[str]) -> dict:
    """One chunk of a distributed sweep with ``metrics``, run on a worker: the C++ sweeps of its segments
    (as ``sweep_chunk``'s) merged into one result as ``_core.SweepJob.result`` gives it (``variant`` the
    sweep-wide variant numbers). The client merges the chunks' results (``_merge_metrics_raw``) or has
    ``metrics_part`` make each chunk's frame with the merged key table. Module-level so that it pickles
    by reference."""
    raws = []
    for vs, ovs, seeds in _grouped(segments):
        job = _core.SweepJob(text, label, ovs, seeds, threads, list(metrics))
        job.start()
        job.wait(1e9)
        raw = job.result()
        raw = {"variant": np.asarray(vs, dtype=np.int64)[np.asarray(raw["variant"], dtype=np.int64)],
               "seed": np.asarray(raw["seed"]), "error": list(raw["error"]), "metrics": raw["metrics"]}
        raws.append(raw)
    return _merge_metrics_raw(raws)


def _grouped(segments: list[tuple[int, list[tuple[str, str]], list[int]]]) -> list[tuple[list[int], list, list[int]]]:
    """A chunk's segments as C++ sweeps: consecutive variants with the same seeds in one sweep (a chunk is
    at most a partial first variant, whole variants, a partial last one: at most three sweeps, each
    parsing the scenario once), each as (variant numbers, their overrides, the seeds)."""
    out: list[tuple[list[int], list, list[int]]] = []
    for v, ov, seeds in segments:
        if out and out[-1][2] == list(seeds):
            out[-1][0].append(v)
            out[-1][1].append(ov)
        else:
            out.append(([v], [ov], list(seeds)))
    return out


def metrics_chunk_runs(raw: dict) -> tuple[list[tuple], np.ndarray, np.ndarray]:
    """A metrics chunk's key table and its runs' (variant, seed): the small part the client gathers to
    make every chunk's frame alike and to check that no run is lost or doubled."""
    return _key_table(raw), np.asarray(raw["variant"]), np.asarray(raw["seed"])


def metrics_part(raw: dict, ptable: pd.DataFrame, tidy: bool, table: list[tuple], out: str | None,
                 part: int) -> Any:
    """A metrics chunk's frame made with the sweep's merged key ``table`` (so every chunk has the local
    sweep's columns and categories); with ``out`` written as ``out/part-NNNNN.parquet`` (as ``sweep_chunk``)
    and its row count returned."""
    df = _metrics_frame(_with_key_table(raw, table), ptable, tidy)
    if out is None:
        return df
    return _write_part(df, out, part)


def _write_part(df: pd.DataFrame, out: str, part: int) -> int:
    """Writes a chunk's frame as ``out/part-NNNNN.parquet`` through a temporary name (a retried chunk
    replaces its file, never adds one); returns its row count."""
    os.makedirs(out, exist_ok=True)
    final = os.path.join(out, f"part-{part:05d}.parquet")
    tmp = f"{final}.tmp-{os.getpid()}-{threading.get_ident()}"
    df.to_parquet(tmp, engine="pyarrow", index=False)
    os.replace(tmp, final)
    return len(df)


def _chunks(nv: int, seeds: list[int], nchunks: int) -> list[list[tuple[int, int, int]]]:
    """The runs (variant-major, then seeds) cut into ``nchunks`` contiguous pieces of nearly equal size,
    each a list of (variant, first seed index, end seed index)."""
    ns = len(seeds)
    total = nv * ns
    size = math.ceil(total / max(1, nchunks))
    out = []
    for lo in range(0, total, size):
        hi = min(total, lo + size)
        segs = []
        i = lo
        while i < hi:
            v, s = divmod(i, ns)
            e = min(ns, s + (hi - i))
            segs.append((v, s, e))
            i += e - s
        out.append(segs)
    return out


def _dask_sweep(client: Any, sc: Scenario, ov: list, ptable: pd.DataFrame, seed_list: list[int], layout: str,
                threads: int | None, chunk_size: int | None, retries: int, out: str | None, as_dask: bool,
                progress: bool | None, check_timeout: float, metrics: list[str] | None = None,
                tidy: bool = False) -> Any:
    check_workers(client, check_timeout)
    nv, ns = len(ov), len(seed_list)
    if chunk_size is None:
        try:
            workers = sum(client.nthreads().values())
        except Exception:  # pragma: no cover - a client without nthreads()
            workers = 1
        nchunks = min(nv * ns, 4 * max(1, workers))
    else:
        nchunks = math.ceil(nv * ns / max(1, int(chunk_size)))
    chunks = _chunks(nv, seed_list, nchunks)
    text, label, pods = sc.portable_text, sc.file, sc.pods
    per_chunk_threads = 1 if threads is None else int(threads)
    out_dir = None if out is None else os.path.abspath(os.fspath(out))
    futures = []
    for i, segs in enumerate(chunks):
        vs = sorted({v for v, _, _ in segs})
        segments = [(v, ov[v], seed_list[s:e]) for v, s, e in segs]
        if metrics:
            futures.append(client.submit(metrics_chunk, text, label, segments, per_chunk_threads, metrics,
                                         pure=False, retries=retries))
        else:
            futures.append(client.submit(sweep_chunk, text, label, segments, ptable.loc[vs], pods, layout,
                                         per_chunk_threads, out_dir, i, pure=False, retries=retries))
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
            size = {f.key: sum(e - s for _, s, e in segs) for f, segs in zip(futures, chunks)}
            with tqdm(total=nv * ns, desc=f"podsim sweep {sc.name} (dask)", unit="run") as bar:
                for f in as_completed(futures):
                    bar.update(size[f.key])
    if metrics:
        return _dask_metrics(client, futures, chunks, ptable, nv, seed_list, tidy, retries, out_dir, as_dask)
    if out_dir is not None:
        counts = client.gather(futures)
        if sum(counts) != nv * ns * (1 if layout == "runs" else max(1, len(pods))) and layout == "runs":
            raise RuntimeError(f"podsim.sweep: the workers wrote {sum(counts)} rows for {nv * ns} runs")
        if as_dask:
            import dask.dataframe as dd
            return dd.read_parquet(out_dir)
        return out_dir
    if as_dask:
        import dask.dataframe as dd
        meta = futures[0].result().iloc[:0]
        return dd.from_delayed(futures, meta=meta, verify_meta=False)
    df = _concat(client.gather(futures))
    _check_rows(df, nv, seed_list, layout, len(pods))
    return df


def _dask_metrics(client: Any, futures: list, chunks: list, ptable: pd.DataFrame, nv: int, seed_list: list[int],
                  tidy: bool, retries: int, out_dir: str | None, as_dask: bool) -> Any:
    """The frame of a distributed metrics sweep whose chunks (``metrics_chunk``) are ``futures``: into
    pandas, the chunks' results are gathered and merged, and the frame made as locally; for ``out`` or
    ``as_dask``, only each chunk's key table and runs are gathered, and each chunk's frame is made (and
    written) on its worker with the merged key table, so that every part has the local sweep's columns."""
    if out_dir is None and not as_dask:
        merged = _merge_metrics_raw(client.gather(futures))
        _check_runs(merged["variant"], merged["seed"], nv, seed_list)
        return _metrics_frame(merged, ptable, tidy)
    runs = client.gather([client.submit(metrics_chunk_runs, f, pure=False, retries=retries) for f in futures])
    _check_runs(np.concatenate([v for _, v, _ in runs]), np.concatenate([s for _, _, s in runs]), nv, seed_list)
    table = _union_key_table(t for t, _, _ in runs)
    parts = []
    for i, (f, segs) in enumerate(zip(futures, chunks)):
        vs = sorted({v for v, _, _ in segs})
        parts.append(client.submit(metrics_part, f, ptable.loc[vs], tidy, table, out_dir, i, pure=False,
                                   retries=retries))
    if out_dir is not None:
        client.gather(parts)
        if as_dask:
            import dask.dataframe as dd
            return dd.read_parquet(out_dir)
        return out_dir
    import dask.dataframe as dd
    meta = parts[0].result().iloc[:0]
    return dd.from_delayed(parts, meta=meta, verify_meta=False)


def _check_runs(variant: np.ndarray, seed: np.ndarray, nv: int, seed_list: list[int]) -> None:
    """Every (variant, seed) exactly once, in order: nothing lost or doubled by a retried chunk."""
    want_v = np.repeat(np.arange(nv), len(seed_list))
    want_s = np.tile(np.asarray(seed_list, dtype=np.uint64), nv)
    if len(variant) != len(want_v) or not (np.array_equal(np.asarray(variant), want_v)
                                           and np.array_equal(np.asarray(seed, dtype=np.uint64), want_s)):
        raise RuntimeError(f"podsim.sweep: the chunks gave {len(variant)} runs for {len(want_v)} (variant, seed) pairs")


def _check_rows(df: pd.DataFrame, nv: int, seed_list: list[int], layout: str, npods: int) -> None:
    """Every (variant, seed) exactly once, in order: nothing lost or doubled by a retried chunk."""
    runs = df[["variant", "seed"]] if layout == "runs" else df.loc[df["pod"] == df["pod"].iloc[0], ["variant", "seed"]]
    want_v = np.repeat(np.arange(nv), len(seed_list))
    want_s = np.tile(np.asarray(seed_list, dtype=np.uint64), nv)
    if len(runs) != len(want_v) or not (np.array_equal(runs["variant"].to_numpy(), want_v)
                                        and np.array_equal(runs["seed"].to_numpy(), want_s)):
        raise RuntimeError(f"podsim.sweep: the chunks gave {len(runs)} runs for {len(want_v)} (variant, seed) pairs")


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl-C (KeyboardInterrupt) during ``sweep``: the runs not started were cancelled; ``partial`` holds
    the DataFrame of the runs that finished (the same columns as the whole sweep's)."""

    def __init__(self, partial: pd.DataFrame, total: int) -> None:
        super().__init__(f"sweep interrupted: {len(partial)} of {total} runs finished (see .partial)")
        self.partial = partial


#: Count and time metrics whose absence in a run means 0 (the others: NaN). See docs/metrics.md.
_ZERO_WHEN_ABSENT = ("timeIn:", "events:")


def _metrics_frame(raw: dict, ptable: pd.DataFrame, tidy: bool) -> pd.DataFrame:
    """The rows of a C++ sweep run with metrics, tidy or wide (see ``sweep``); ``ptable``: the typed
    parameter table (``parameter_table``), indexed by the variant numbers of ``raw["variant"]``.

    The columns (wide) and categories (tidy) come from ``raw["metrics"]``'s key table, so that chunks of a
    distributed sweep given the same (merged) key table (``_with_key_table``) have the same columns."""
    vidx = np.asarray(raw["variant"], dtype=np.int64)
    paths = list(ptable.columns)
    m = raw["metrics"]
    seed = np.asarray(raw["seed"], dtype=np.uint64)
    row, key = np.asarray(m["row"], dtype=np.int64), np.asarray(m["key"], dtype=np.int64)
    err = np.array(raw["error"], dtype=object)
    err[err == ""] = None
    if tidy:
        cols: dict[str, Any] = {}
        for p in paths:
            cols[p] = ptable[p].loc[vidx[row]].reset_index(drop=True)
        cols["variant"] = vidx[row]
        cols["seed"] = seed[row]
        for name in ("pod", "container", "metric"):
            cols[name] = pd.Categorical.from_codes(*_codes(m[name], key))
        cols["value"] = np.asarray(m["value"], dtype=np.float64)
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
    numeric[colidx[key], row] = m["value"]
    texts: dict[int, np.ndarray] = {}
    values: dict[int, set] = {}  # the values of each text column anywhere in the key table: its categories
    for k, t in enumerate(m["text"]):
        if t is not None:
            texts.setdefault(int(colidx[k]), np.full(n, None, dtype=object))
            values.setdefault(int(colidx[k]), set()).add(t)
    for k, r in zip(key, row):
        t = m["text"][k]
        if t is not None:
            texts[int(colidx[k])][r] = t
    out: dict[str, Any] = {}
    for p in paths:
        out[p] = ptable[p].loc[vidx].reset_index(drop=True)
    out["variant"] = vidx
    out["seed"] = seed
    for i, c in enumerate(columns):
        out[c] = pd.Categorical(texts[i], categories=pd.Index(sorted(values[i]))) if i in texts else numeric[i]
    out["error"] = pd.Categorical(err, categories=_category_index(sorted({e for e in err if e is not None})))
    return pd.DataFrame(out)


#: The lists of a metrics key table (one entry per key; see _core.SweepJob.metricColumns).
_KEY_FIELDS = ("pod", "container", "metric", "column", "text")


def _key_table(raw: dict) -> list[tuple]:
    """The key table of a metrics sweep's rows: one (pod, container, metric, column, text) per key."""
    m = raw["metrics"]
    return list(zip(*(m[f] for f in _KEY_FIELDS)))


def _union_key_table(tables: Iterable[list[tuple]]) -> list[tuple]:
    """Key tables of consecutive chunks merged in order of first appearance: the key table of their
    rows' sweep run as one (the order of the columns and categories of the local sweep)."""
    return list(dict.fromkeys(k for t in tables for k in t))


def _with_key_table(raw: dict, table: list[tuple]) -> dict:
    """``raw`` with its metrics' key indices mapped into ``table`` (which holds every key of ``raw``)."""
    where = {k: i for i, k in enumerate(table)}
    remap = np.array([where[k] for k in _key_table(raw)] or [0], dtype=np.int64)
    m = raw["metrics"]
    key = np.asarray(m["key"], dtype=np.int64)
    metrics = {"row": np.asarray(m["row"], dtype=np.int64), "key": remap[key] if len(key) else key,
               "value": np.asarray(m["value"], dtype=np.float64)}
    for i, f in enumerate(_KEY_FIELDS):
        metrics[f] = [k[i] for k in table]
    return {**raw, "metrics": metrics}


def _merge_metrics_raw(raws: Sequence[dict]) -> dict:
    """The metrics results of consecutive C++ sweeps (chunks, in order) as one sweep's: rows one after
    another, keys merged (``_union_key_table``)."""
    table = _union_key_table(_key_table(r) for r in raws)
    mapped = [_with_key_table(r, table) for r in raws]
    offsets = np.cumsum([0] + [len(r["variant"]) for r in raws])
    metrics = {"row": np.concatenate([r["metrics"]["row"] + o for r, o in zip(mapped, offsets)] or [np.empty(0, np.int64)]),
               "key": np.concatenate([r["metrics"]["key"] for r in mapped] or [np.empty(0, np.int64)]),
               "value": np.concatenate([r["metrics"]["value"] for r in mapped] or [np.empty(0)])}
    for i, f in enumerate(_KEY_FIELDS):
        metrics[f] = [k[i] for k in table]
    return {"variant": np.concatenate([np.asarray(r["variant"], dtype=np.int64) for r in raws]),
            "seed": np.concatenate([np.asarray(r["seed"], dtype=np.uint64) for r in raws]),
            "error": [e for r in raws for e in r["error"]], "metrics": metrics}


def _codes(names: list, key: np.ndarray) -> tuple[np.ndarray, list]:
    """Category codes per tidy row from a per-key list of names (None: missing)."""
    cats = list(dict.fromkeys(x for x in names if x is not None))
    where = {c: i for i, c in enumerate(cats)}
    per_key = np.array([where[x] if x is not None else -1 for x in names] or [-1], dtype=np.int64)
    return per_key[key] if len(key) else np.empty(0, dtype=np.int64), cats


def sweep(scenario: Source, variants: Any = None, seeds: Any = None, threads: int | None = None, *,
          params: Mapping[str, str] | None = None, layout: str = "runs", client: Any = None,
          progress: bool | None = None, chunk_size: int | None = None, retries: int = 2,
          out: str | os.PathLike[str] | None = None, as_dask: bool = False, check_timeout: float = 30.0,
          metrics: Sequence[str] | None = None, tidy: bool = False) -> Any:
    """Runs every variant x seed of a scenario and returns one DataFrame row per run (or per run and pod).

    The runs are the C++ engine's (the same as ``podsim sweep``), each with the trace off, on ``threads``
    C++ threads with the GIL released; a run that fails (a variant the loader rejects, the event limit)
    fills its row's ``error`` and the sweep goes on.

    Args:
        scenario: a Scenario or anything ``podsim.load`` accepts.
        variants: None (the scenario as is); a list of variants, each ``{path: value}`` or a list of
            ``"PATH=VALUE"`` strings; ``{path: [values]}`` (the product, first path slowest); or a DataFrame,
            one row a variant and one column a parameter (``podsim.design`` makes them; a null cell keeps the
            scenario's value). Paths and values as ``load``'s overrides.
        seeds: as ``podsim sweep --seeds``: an int N or ``"N"`` (the seeds 1..N), ``"A..B"`` (inclusive),
            ``"A,B,C"`` or an iterable of ints; default the scenario's seed.
        threads: C++ threads (default: one per hardware thread); with ``client``, threads per chunk
            (default 1: Dask runs chunks side by side).
        params: short column names -> override paths, e.g. ``{"period":
            "pods.web.spec.containers[app].readinessProbe.periodSeconds"}``; the frame keeps the short names.
        layout: ``"runs"`` (default): one row per run, per pod the columns ``POD.phase`` ... as the CSV of
            ``podsim sweep`` (POD the bare name, or ``namespace/name`` when pods of that name are in several
            namespaces); ``"pods"``: one row per run and pod, the pod (``namespace/name``) in a ``pod``
            column and the metrics in columns ``phase`` ... ``fractionReady``.
        client: a ``distributed.Client``: first every worker is checked to import this podsim version
            (an error within ``check_timeout`` s otherwise); the scenario is shipped self-contained (its
            manifests inlined); the runs are cut into about 4 chunks per worker thread (or ``chunk_size``
            runs each), each chunk C++ sweeps on a worker, retried ``retries`` times if it fails (a worker
            that dies has its chunk run again elsewhere); the result equals the local sweep's.
        progress: True / False to show / hide a tqdm bar; None shows it when the sweep lasts over 1 s.
        chunk_size: runs per Dask chunk.
        out: a directory: the rows are written there as Parquet (with ``client``, each chunk by its worker
            as ``part-NNNNN.parquet``) and the directory's path is returned, for sweeps larger than memory.
        as_dask: with ``client``, return a dask DataFrame (one partition per chunk) instead of pandas.
        metrics: names from docs/metrics.md (``restarts``, ``timeIn``, ``events``, ``probeFailures``,
            ``timeToReady``, ``timeToInitialized``, ``timeToFirstRestart``, ``fractionReady``, ``phase``,
            ``status``), computed in C++ during each run (the trace is not kept) instead of the default
            columns; with ``client`` too (each chunk computes them on its worker; the frame is the local one).
        tidy: with ``metrics``: one row per run, pod, container and metric (columns: the parameters,
            ``variant``, ``seed``, ``pod`` (``namespace/name``), ``container`` (null for the pod),
            ``metric`` (``timeIn:Running``), ``value`` (float: s, counts, fractions; NaN for text and for
            times never reached) and ``text`` (the value of ``phase`` and ``status``)); failed runs have no
            rows. Otherwise wide: one column per ``<pod>.<metric>`` or ``<pod>.<container>.<metric>``
            (``timeIn:*`` and ``events:*`` 0 where a run has none), then ``error``.

    Returns: a DataFrame (rows variant-major, then seeds in the order given) whose columns are: one per
        parameter, typed (integers Int64, numbers float64, Go durations float **seconds**, booleans, other
        values categorical text); ``variant`` (index into the variants); ``seed``; the pod metrics
        ``phase``, ``status``, ``ready`` (kubectl's ``N/M``), ``restarts`` (Int64), ``timeToInitialized``,
        ``timeToReady``, ``readyTime`` (s, float, NaN when never reached), ``fractionReady`` (readyTime /
        duration), as in the CSV of ``podsim sweep``; then ``duration`` (s simulated), ``events`` (events
        processed) and ``error`` (null, or the message; pod columns then null). Strings are categorical,
        so that the frame round-trips through Parquet.
    Raises: ScenarioError when the scenario itself does not load or a metric is unknown; ValueError for
        bad seeds or layout; RuntimeError / TimeoutError when a Dask worker lacks this podsim;
        SweepInterrupted (a KeyboardInterrupt) on Ctrl-C, within about a run per thread, with the finished
        runs' frame in ``.partial``.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout={layout!r}: expected one of {', '.join(map(repr, LAYOUTS))}")
    sc = scenario if isinstance(scenario, Scenario) else load(scenario)
    params = dict(params or {})
    var_list, columns = _variants(variants, params)
    seed_list = _seeds(seeds, sc.seed)
    ov = [_overrides(v, params) for v in var_list]
    ptable = parameter_table(var_list, columns)
    if len(seed_list) > 1 and not _core.sweep_uses_randomness(sc.portable_text, sc.file, ov):
        warnings.warn(f"{sc.name}: nothing is drawn from the seed (ideal timing, no random faults): every seed "
                      "gives the same run", stacklevel=2)
    if client is not None:
        if metrics:  # an unknown name is a ScenarioError here, not a failed task on every worker
            _core.SweepJob(sc.portable_text, sc.file, [], [], 1, [str(x) for x in metrics])
        return _dask_sweep(client, sc, ov, ptable, seed_list, layout, threads, chunk_size, retries,
                           None if out is None else os.fspath(out), as_dask, progress, check_timeout,
                           None if metrics is None else [str(x) for x in metrics], tidy)
    if as_dask:
        raise ValueError("as_dask=True needs a client")
    names = [] if metrics is None else [str(x) for x in metrics]
    job = _core.SweepJob(sc.portable_text, sc.file, ov, seed_list, 0 if threads is None else int(threads), names)

    def frame(raw: dict) -> pd.DataFrame:
        if names:
            return _metrics_frame(raw, ptable, tidy)
        return _frame(raw, ptable, range(len(ov)), sc.pods, layout)
    try:
        df = frame(_run_job(job, progress, f"podsim sweep {sc.name}"))
    except KeyboardInterrupt:  # _run_job has cancelled and waited: keep what finished
        raw = job.result()
        done = np.array([e != "cancelled" for e in raw["error"]], dtype=bool)
        partial = frame(raw)
        if not (names and tidy):  # tidy frames have no rows for runs that did not finish
            partial = partial[np.repeat(done, len(partial) // max(1, len(done)))] if layout == "pods" and not names \
                else partial[done]
        raise SweepInterrupted(partial.reset_index(drop=True), len(done)) from None
    if out is not None:
        d = os.fspath(out)
        os.makedirs(d, exist_ok=True)
        df.to_parquet(os.path.join(d, "part-00000.parquet"), engine="pyarrow", index=False)
        return d
    return df
