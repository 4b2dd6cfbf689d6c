"""podsim._api: loading a scenario (file, YAML text or dicts) with overrides, running it, and its results.

Owns the pure-Python face of one run: ``load``, ``Scenario`` and ``Run``, whose results are pandas
DataFrames built from the numpy columns that the C++ extension ``podsim._core`` hands over without
copying. Does not own the simulation (C++: models/engine), the YAML reading and validation (C++:
models/scenario/loader), nor sweeps (``podsim._sweep``).

Units: simulated time is an integer count of nanoseconds inside the engine. The DataFrames give times as
float **seconds** (columns named as the contract's trace, e.g. ``t``, ``startedAt``) and keep the exact
integer **nanoseconds** next to the main ones (``t_ns``, ``start_ns``, ``end_ns``). Methods taking a time
accept seconds (a number) or a Go duration string (``"2m20s"``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Union

import numpy as np
import pandas as pd

from . import _core
from ._errors import ScenarioError

NS_PER_SECOND = 1_000_000_000
#: The pod phases (kubelet-semantics §1.2), in the order of ``summary()``'s ``phase*`` columns.
PHASES = ("Pending", "Running", "Succeeded", "Failed", "Unknown")

#: What ``load`` accepts: a path, YAML text, one Pod/Scenario document as a dict, or a list of them.
Source = Union[str, "os.PathLike[str]", Mapping[str, Any], Sequence[Mapping[str, Any]], "Scenario"]
#: Overrides: ``{path: python_value}``, or ``"PATH=VALUE"`` strings / ``(path, value)`` pairs.
Overrides = Union[Mapping[str, Any], Iterable[Union[str, tuple[str, Any]]], None]

def to_ns(t: float | int | str) -> int:
    """Converts a time to integer nanoseconds: a number is seconds, a string is Go duration syntax.

    Strings are read by the engine's own parser (models/scenario/duration), exactly as in scenario files:
    ``to_ns(2.5) == 2_500_000_000``, ``to_ns("1m30s") == 90_000_000_000``, ``to_ns("300ms")``.
    Raises ScenarioError (a ValueError) for a string that is not a duration.
    """
    if isinstance(t, str):
        try:
            return int(_core.parse_duration(t.strip()))
        except ValueError as e:
            raise ScenarioError(f"<argument>:0:0: time: {e}", "<argument>", 0, 0, "time", str(e)) from None
    if isinstance(t, (bool, np.bool_)):
        raise TypeError("a time is a number of seconds or a Go duration string, not a bool")
    return round(float(t) * NS_PER_SECOND)


def check_seed(seed: Any, name: str = "seed") -> int:
    """A seed as an int in [0, 2**64): ValueError naming the argument ``name`` otherwise (TypeError for a
    value that is not an integer, e.g. ``1.5`` or ``True``)."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"{name} must be an integer in [0, 2**64), not {type(seed).__name__} {seed!r}")
    if not 0 <= int(seed) < 2**64:
        raise ValueError(f"{name}={int(seed)}: a seed is an integer in [0, 2**64)")
    return int(seed)


def format_duration(ns: int) -> str:
    """Formats integer nanoseconds as Go's time.Duration prints them (``"1m30s"``, ``"300ms"``)."""
    return str(_core.format_duration(int(ns)))


class YAML(str):
    """A value given as YAML text, passed to the engine as written: ``{"spec.behaviors.web.app":
    podsim.YAML("{run: 5s, exitCode: 1}")}``. A plain ``str`` value is a YAML string instead."""

    __slots__ = ()


def _yaml_value(value: Any) -> str:
    """A Python value as YAML text (JSON is YAML): strings stay strings, dicts become flow mappings,
    ``YAML`` values pass as written."""
    if isinstance(value, YAML):
        return str(value)

    def default(o: Any) -> Any:
        if isinstance(o, np.generic):
            return o.item()
        raise TypeError(f"cannot write a {type(o).__name__} into a scenario")
    return json.dumps(value, default=default)


def normalize_overrides(overrides: Overrides) -> list[tuple[str, str]]:
    """Turns overrides into ``(path, YAML text)`` pairs for the engine, in the order given.

    ``{path: value}`` and ``(path, value)``: the Python value is written as YAML (``5`` -> ``5``,
    ``"30s"`` -> ``"30s"``, ``{"run": "5s"}`` -> a mapping). ``"PATH=VALUE"`` strings: VALUE is YAML text
    as given, as with ``podsim sweep --set``. Paths are those of ``podsim sweep --set``: ``spec.seed``,
    ``spec.kubelet.crashLoopBackOff.maxContainerRestartPeriod``, ``spec.behaviors.web.app.run``,
    ``pods.web.spec.containers[app].readinessProbe.periodSeconds``.
    Raises ScenarioError for a string without ``=``.
    """
    if overrides is None:
        return []
    out: list[tuple[str, str]] = []
    if isinstance(overrides, Mapping):
        return [(str(k), _yaml_value(v)) for k, v in overrides.items()]
    if isinstance(overrides, str):
        overrides = [overrides]
    for o in overrides:
        if isinstance(o, str):
            if "=" not in o:
                detail = f"Invalid value: \"{o}\": expected PATH=VALUE"
                raise ScenarioError(f"<override>:1:1: {o}: {detail}", "<override>", 1, 1, o, detail)
            path, value = o.split("=", 1)
            out.append((path, value))
        else:
            path, value = o
            out.append((str(path), _yaml_value(value)))
    return out


def _dicts_to_yaml(docs: Sequence[Mapping[str, Any]]) -> str:
    """Documents as YAML text: each as indented JSON (valid YAML), so that errors point at real lines."""
    return "---\n".join(json.dumps(d, indent=2, default=lambda o: o.item() if isinstance(o, np.generic) else str(o))
                        + "\n" for d in docs)


def _looks_like_path(s: str) -> bool:
    return "\n" not in s and (os.path.exists(s) or s.endswith((".yaml", ".yml", ".json")))


def load(source: Source, overrides: Overrides = None, *, label: str | None = None) -> "Scenario":
    """Loads a scenario (interface.md §1) and applies overrides.

    Args:
        source: a file path (``str`` or ``os.PathLike``; ``spec.manifests`` resolve relative to it), YAML
            text (a ``str`` with a newline, or one that is not an existing path), one document as a
            ``dict`` (a Pod or a ``podsim/v1alpha1`` Scenario) or a list of such dicts, or a Scenario (the
            overrides are then applied to its text).
        overrides: fields to change before loading; see ``normalize_overrides``.
        label: the name of YAML text or dicts in error messages (default ``<string>`` / ``<dict>``);
            relative ``spec.manifests`` resolve against its directory.

    Returns: a Scenario, immutable; ``run()`` it as often as you like.
    Raises: ScenarioError (a ValueError) with ``file``, ``line``, ``column`` and ``field_path`` for
        input the loader rejects, an unreadable file, or an override path that cannot be followed.
    """
    ov = normalize_overrides(overrides)
    if isinstance(source, Scenario):
        if not ov:
            return source
        core = _core.load_string(source.text, label or source.file, ov)
        # the manifests are read again from the original file's directory: inline them from there
        portable = None if source._portable is None else _core.apply_overrides(source._portable, ov, core.file)
        return Scenario(core, portable)
    if isinstance(source, os.PathLike) or (isinstance(source, str) and _looks_like_path(source)):
        core = _core.load_file(os.fspath(source), ov)
        return Scenario(core, _inline_manifests(core.text, core.file))
    if isinstance(source, str):
        return Scenario(_core.load_string(source, label or "<string>", ov))
    if isinstance(source, Mapping):
        return Scenario(_core.load_string(_dicts_to_yaml([source]), label or "<dict>", ov))
    if isinstance(source, Sequence) and all(isinstance(d, Mapping) for d in source):
        docs: list[Mapping[str, Any]] = [d for d in source if isinstance(d, Mapping)]
        return Scenario(_core.load_string(_dicts_to_yaml(docs), label or "<dict>", ov))
    raise TypeError(f"cannot load a scenario from a {type(source).__name__}: give a path, YAML text, a dict or a list of dicts")


def _namespaced(names: Sequence[str], pods: Sequence[str]) -> list[str]:
    """Bare pod names (in the scenario's pod order) as ``namespace/name``: the k-th ``web`` is the k-th
    pod named ``web`` in ``pods`` (``namespace/name`` keys); a name not among them is ``default/NAME``."""
    by_name: dict[str, list[str]] = {}
    for key in pods:
        by_name.setdefault(key.split("/", 1)[1], []).append(key)
    seen: dict[str, int] = {}
    out = []
    for n in names:
        k = seen.get(n, 0)
        seen[n] = k + 1
        keys = by_name.get(n, [])
        out.append(keys[k] if k < len(keys) else keys[0] if keys else f"default/{n}")
    return out


def _inline_manifests(text: str, file: str) -> str:
    """The scenario text made self-contained: ``spec.manifests`` emptied and each manifest file's
    documents appended (read now, relative to ``file``'s directory), so that it loads the same anywhere,
    e.g. on a Dask worker started in another directory. ``text`` itself when it lists no manifests.
    Raises ScenarioError for a manifest that cannot be read (the loader has read them already)."""
    if "manifests" not in text:
        return text
    import yaml  # PyYAML, only to read the list of manifests (the engine parses everything else)
    try:
        docs = list(yaml.safe_load_all(text))
    except yaml.YAMLError:
        return text
    names: list[str] = []
    for d in docs:
        if isinstance(d, dict) and d.get("kind") == "Scenario" and isinstance(d.get("spec"), dict):
            names += [str(m) for m in d["spec"].get("manifests") or []]
    if not names:
        return text
    base = os.path.dirname(os.path.abspath(file))
    parts = [_core.apply_overrides(text, [("spec.manifests", "[]")], file)]
    for name in names:
        path = name if os.path.isabs(name) else os.path.join(base, name)
        with open(path, encoding="utf-8") as f:
            parts.append(f.read())
    return "".join(p if p.endswith("\n") else p + "\n" for p in (parts[:1] + ["---\n" + p for p in parts[1:]]))


def _from_text(text: str, label: str) -> "Scenario":
    return Scenario(_core.load_string(text, label, []))


class Scenario:
    """A loaded, validated scenario (after overrides). Immutable; pickles as its self-contained YAML text
    (``portable_text``: manifests inlined) and label, so that it unpickles in any directory.

    Attributes (read-only): ``name``, ``description``, ``file`` (the path or label), ``text`` (the YAML
    after overrides), ``duration`` (s, float) and ``duration_ns`` (ns, int), ``seed``, ``timing``
    (``"kubelet"`` or ``"ideal"``), ``pods`` (``namespace/name``), ``warnings`` (fields accepted and ignored).
    """

    __slots__ = ("_core", "_portable")

    def __init__(self, core: "_core.Scenario", portable_text: str | None = None) -> None:
        self._core = core
        self._portable = portable_text

    @property
    def portable_text(self) -> str:
        """The scenario as self-contained YAML: ``text`` with the files of ``spec.manifests`` inlined (read
        when it was loaded), so that it loads the same in any directory or on another machine (pickling,
        Dask workers). The same as ``text`` for a scenario without manifests."""
        return self.text if self._portable is None else self._portable

    name = property(lambda self: self._core.name)
    description = property(lambda self: self._core.description)
    file = property(lambda self: self._core.file)
    text = property(lambda self: self._core.text)
    duration_ns = property(lambda self: self._core.duration_ns)
    duration = property(lambda self: self._core.duration_ns / NS_PER_SECOND)
    seed = property(lambda self: self._core.seed)
    timing = property(lambda self: self._core.timing)
    pods = property(lambda self: list(self._core.pods))
    warnings = property(lambda self: list(self._core.warnings))

    def __repr__(self) -> str:
        return f"<podsim.Scenario {self.name!r} from {self.file!r}: {len(self.pods)} pod(s), {self.duration:g} s, " \
               f"seed {self.seed}, timing {self.timing}>"

    def __reduce__(self):
        return (_from_text, (self.portable_text, self.file))

    def with_overrides(self, overrides: Overrides) -> "Scenario":
        """A new Scenario: this one's text with the overrides applied (ScenarioError on bad input)."""
        return load(self, overrides)

    def run(self, seed: int | None = None, duration: float | str | None = None, *, trace: bool = True) -> "Run":
        """Runs the scenario once, with the GIL released, and returns the finished Run.

        Args:
            seed: overrides ``spec.seed`` (every random draw derives from it); default the scenario's.
            duration: simulated time to run, seconds or a Go duration string; default ``spec.duration``.
            trace: keep the full trace (needed by ``trace()``, ``intervals()``, ``kubectl()``,
                per-container ``summary()`` rows); off is faster and keeps per-pod summaries only.
        Raises: ValueError naming ``seed`` for a seed outside [0, 2**64) (TypeError for a non-integer);
            ValueError for a non-positive duration; RuntimeError when the run passes the engine's event limit.
        """
        if seed is not None:
            seed = check_seed(seed, "seed")
        ns = None if duration is None else to_ns(duration)
        return Run(self, self._core.run(seed, ns, trace), self.seed if seed is None else seed)

    def sweep(self, variants: Any = None, seeds: Any = None, **kwargs: Any) -> pd.DataFrame:
        """``podsim.sweep(self, variants, seeds, **kwargs)``."""
        from ._sweep import sweep
        return sweep(self, variants, seeds, **kwargs)


# --- columns -> DataFrames -------------------------------------------------------------------------

_STRING_DTYPE = pd.Series(["x"]).dtype


def _category_index(categories: Sequence[str]) -> pd.Index:
    """The categories of a string column: pandas' own string dtype (``str`` in pandas 3, ``object``
    before), so that a column reads back from Parquet with the dtype it was written with (an all-null
    column reads back with no categories of dtype ``object``: the same values)."""
    return pd.Index(list(categories), dtype=_STRING_DTYPE)


#: CategoricalDtypes by their categories: the runs of one scenario give the same few category lists again
#: and again, and pandas validates a new dtype's categories (uniqueness, nulls) every time it builds one,
#: which was most of ``Run.summary()``'s cost. Bounded: cleared when it holds this many.
_DTYPE_CACHE: dict[tuple[str, ...], pd.CategoricalDtype] = {}
_DTYPE_CACHE_MAX = 4096


def _categorical_dtype(categories: Sequence[str]) -> pd.CategoricalDtype:
    """The (cached) unordered CategoricalDtype of these string categories (unique, in this order)."""
    key = tuple(categories)
    dtype = _DTYPE_CACHE.get(key)
    if dtype is None:
        if len(_DTYPE_CACHE) >= _DTYPE_CACHE_MAX:
            _DTYPE_CACHE.clear()
        dtype = _DTYPE_CACHE[key] = pd.CategoricalDtype(_category_index(key), ordered=False)
    return dtype


def _categorical(pair: tuple[np.ndarray, list[str]]) -> pd.Categorical:
    """The engine's (codes int array, categories list) as a pandas Categorical (code -1 = null)."""
    codes, categories = pair
    return pd.Categorical.from_codes(codes, dtype=_categorical_dtype(categories))


def _nullable_int(pair: tuple[np.ndarray, np.ndarray]) -> pd.api.extensions.ExtensionArray:
    values, missing = pair
    return pd.arrays.IntegerArray(values, missing.astype(bool))


def _seconds(ns: np.ndarray) -> np.ndarray:
    """ns (int64, -1 = null) -> seconds (float64, NaN = null)."""
    s = ns / NS_PER_SECOND
    s[ns < 0] = np.nan
    return s


def _nullable_bool(flags: np.ndarray) -> pd.api.extensions.ExtensionArray:
    return pd.arrays.BooleanArray(flags == 1, flags < 0)


#: The pod condition types (kubelet-semantics §1.3), in the order of the trace's ``condition.*`` columns;
#: a type outside this list (none today) gets a column after them.
CONDITION_TYPES = ("PodScheduled", "PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready")


def _strings_categorical(values: Sequence[Any]) -> pd.Categorical:
    """Python strings (None = null) as a categorical of object categories, as every other string column."""
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return pd.Categorical(arr, dtype=_categorical_dtype(sorted({v for v in values if v is not None})))


def _condition_columns(rows: Sequence[Any], n: int) -> dict[str, pd.Categorical]:
    """The PodStatus ``conditions`` dicts flattened: one column ``condition.TYPE`` per type, its status
    (``"True"``/``"False"``) on PodStatus rows that carry the condition, null elsewhere."""
    types = list(CONDITION_TYPES)
    for d in rows:
        if d:
            types += [k for k in d if k not in types]
    out: dict[str, pd.Categorical] = {}
    for k in types:
        vals: list[Any] = [None] * n
        for i, d in enumerate(rows):
            if d is not None and k in d:
                vals[i] = d[k]
        out[f"condition.{k}"] = _strings_categorical(vals)
    return out


def _json_strings(rows: Sequence[Any]) -> pd.Categorical:
    """Dicts (an Action's arguments) as JSON object text, keys in the trace's order; None stays null."""
    return _strings_categorical([None if d is None else json.dumps(d) for d in rows])


def _last_state_columns(rows: Sequence[Any], n: int) -> dict[str, Any]:
    """ContainerStatus ``lastState`` dicts flattened into ``lastState.state``, ``lastState.reason``,
    ``lastState.exitCode`` (Int64), ``lastState.startedAt`` / ``lastState.finishedAt`` (s, NaN when null),
    ``lastState.message`` (the terminated state's message, e.g. ContainerStatusUnknown's, or null)."""
    state: list[Any] = [None] * n
    reason: list[Any] = [None] * n
    code = np.zeros(n, dtype=np.int64)
    missing = np.ones(n, dtype=bool)
    started = np.full(n, np.nan)
    finished = np.full(n, np.nan)
    message: list[Any] = [None] * n
    for i, d in enumerate(rows):
        if d is None:
            continue
        state[i], reason[i], message[i] = d["state"], d["reason"], d.get("message")
        if d["exitCode"] is not None:
            code[i], missing[i] = d["exitCode"], False
        if d["startedAt"] is not None:
            started[i] = d["startedAt"]
        if d["finishedAt"] is not None:
            finished[i] = d["finishedAt"]
    return {"lastState.state": _strings_categorical(state), "lastState.reason": _strings_categorical(reason),
            "lastState.exitCode": pd.arrays.IntegerArray(code, missing), "lastState.startedAt": started,
            "lastState.finishedAt": finished, "lastState.message": _strings_categorical(message)}


def _rerun(scenario: Scenario, seed: int, duration_ns: int, trace: bool) -> "Run":
    """Unpickles a Run by running it again (see ``Run.__reduce__``)."""
    return Run(scenario, scenario._core.run(seed, duration_ns, trace), seed)


class Run:
    """One finished run of a scenario: its trace, intervals, summaries and kubectl views.

    Attributes: ``scenario``, ``seed``, ``duration`` (s) / ``duration_ns``, ``events`` (events processed),
    ``has_trace``.
    """

    __slots__ = ("scenario", "seed", "_core")

    def __init__(self, scenario: Scenario, core: "_core.Run", seed: int) -> None:
        self.scenario = scenario
        self.seed = seed
        self._core = core

    duration_ns = property(lambda self: self._core.duration_ns)
    duration = property(lambda self: self._core.duration_ns / NS_PER_SECOND)
    events = property(lambda self: self._core.events)
    has_trace = property(lambda self: self._core.has_trace)

    def __reduce__(self):
        """A Run pickles as what made it (scenario, seed, duration, trace on/off) and is made again when
        unpickled: runs are deterministic, so the copy has the same trace byte for byte (at the cost of
        running it again; the engine's state itself is C++ and has no serialized form)."""
        return (_rerun, (self.scenario, self.seed, self.duration_ns, self.has_trace))

    def __repr__(self) -> str:
        return f"<podsim.Run of {self.scenario.name!r}, seed {self.seed}: {self.duration:g} s, {self.events} events>"

    def trace(self) -> pd.DataFrame:
        """The trace (interface.md §2) as a DataFrame, one row per record in order of simulated time.

        Columns, as the contract names them: ``t`` (s, float), ``t_ns`` (ns, int), ``type``, ``pod``
        (``namespace/name``), ``container``, ``containerType``, ``image``, ``state``, ``reason``,
        ``exitCode`` (Int64), ``startedAt``/``finishedAt`` (s, NaN when null), ``restartCount`` (Int64),
        ``started`` and ``ready`` (boolean, ContainerStatus), ``podReady`` (PodStatus: kubectl's READY
        ``"N/M"``; the JSON's ``ready`` of a PodStatus), ``phase``, ``status``, ``restarts`` (Int64), ``node``,
        ``condition.PodScheduled`` ... ``condition.Ready`` (PodStatus: ``"True"``/``"False"``, one column per
        condition type, see ``CONDITION_TYPES``; the JSON's ``conditions``), ``message``, ``eventType``,
        ``fieldPath``, ``action``, ``arguments`` (an Action's arguments as JSON object text), ``stopSignal``
        (ContainerStatus, with the gate ContainerStopSignals on: the signal the runtime stops it with),
        ``lastState.state``, ``lastState.reason``, ``lastState.exitCode`` (Int64), ``lastState.startedAt``,
        ``lastState.finishedAt`` (s) (ContainerStatus: the previous termination), ``rule`` (the kubelet
        rule that produced the record, with its Kubernetes source), ``stream`` and ``text`` (Log records: what
        a container wrote), ``hook`` (Hook records: postStart/preStop, with ``state`` started/finished/failed).
        Fields a record type lacks are null.
        Every column has one type and no dicts, so that the frame round-trips through Parquet unchanged.
        String columns are categoricals.
        Raises ValueError when the run was made with ``trace=False``.
        """
        c = self._columns(self._core.trace_columns)
        n = len(c["t"])
        types = _categorical(c["type"])
        cols: dict[str, Any] = {
            "t": c["t"] / NS_PER_SECOND,
            "t_ns": c["t"],
            "type": types,
            "pod": _categorical(c["pod"]),
            "container": _categorical(c["container"]),
            "containerType": _categorical(c["containerType"]),
            "image": _categorical(c["image"]),
            "state": _categorical(c["state"]),
            "reason": _categorical(c["reason"]),
            "exitCode": _nullable_int(c["exitCode"]),
            "startedAt": _seconds(c["startedAt"]),
            "finishedAt": _seconds(c["finishedAt"]),
            "restartCount": _nullable_int(c["restartCount"]),
            "started": _nullable_bool(c["started"]),
            "ready": _nullable_bool(np.asarray(c["readyFlag"])),
            "podReady": _categorical(c["podReady"]),
            "phase": _categorical(c["phase"]),
            "status": _categorical(c["status"]),
            "restarts": _nullable_int(c["restarts"]),
            "node": _categorical(c["node"]),
        }
        cols.update(_condition_columns(c["conditions"], n))
        cols.update({
            "message": _categorical(c["message"]),
            "eventType": _categorical(c["eventType"]),
            "fieldPath": _categorical(c["fieldPath"]),
            "action": _categorical(c["action"]),
            "arguments": _json_strings(c["arguments"]),
            "stopSignal": _categorical(c["stopSignal"]),
        })
        cols.update(_last_state_columns(c["lastState"], n))
        cols["rule"] = _categorical(c["rule"])
        cols["stream"] = _categorical(c["stream"])
        cols["text"] = _categorical(c["text"])
        cols["hook"] = _categorical(c["hook"])
        df = pd.DataFrame(cols)
        return df

    def intervals(self) -> pd.DataFrame:
        """Per-container state intervals: one row per stretch of one (state, reason, restartCount).

        Columns: ``pod`` (``namespace/name``), ``container``, ``containerType`` (init/sidecar/regular),
        ``state`` (waiting/running/terminated), ``reason`` (Kubernetes' reason string or null),
        ``start``/``end``/``duration`` (s, float), ``start_ns``/``end_ns`` (ns, int), ``restartCount``
        and ``exitCode`` (Int64; exitCode only for terminated). A change of ``ready`` alone opens no new
        interval; zero-length intervals are left out; the last ends at the pod's removal or the end.
        Raises ValueError when the run was made with ``trace=False``.
        """
        c = self._columns(self._core.interval_columns)
        start, end = c["start"], c["end"]
        return pd.DataFrame({
            "pod": _categorical(c["pod"]),
            "container": _categorical(c["container"]),
            "containerType": _categorical(c["containerType"]),
            "state": _categorical(c["state"]),
            "reason": _categorical(c["reason"]),
            "start": start / NS_PER_SECOND,
            "end": end / NS_PER_SECOND,
            "duration": (end - start) / NS_PER_SECOND,
            "start_ns": start,
            "end_ns": end,
            "restartCount": _nullable_int(c["restartCount"]),
            "exitCode": _nullable_int(c["exitCode"]),
        })

    def summary(self) -> pd.DataFrame:
        """Summary metrics: one row per pod (``container`` null), then one per container of that pod.

        Columns: ``pod``, ``container``, ``containerType``; pod rows: ``phase`` (final), ``status`` (final
        kubectl STATUS), ``podReady`` (``N/M``), ``restarts`` (kubectl RESTARTS), ``timeToInitialized`` (s to
        the first Initialized=True), ``timeToReady`` (s to the first Ready=True), ``readyTime`` (s with
        Ready=True), ``fractionReady`` (readyTime / duration); container rows: ``state``/``reason``
        (final), ``ready`` (boolean, final), ``restarts`` (restartCount), ``timeToStarted``
        and ``timeToReady`` (s to first running / first ready), ``readyTime``, ``fractionReady``, and the
        time in each state ``timeWaiting``, ``timeRunning``, ``timeTerminated`` (s); pod rows again:
        the time in each phase ``phasePending``, ``phaseRunning``, ``phaseSucceeded``, ``phaseFailed``,
        ``phaseUnknown`` (s, until the pod's removal or the end). Times never reached or not applicable
        are NaN. With ``trace=False`` only the pod rows exist, without the phase times.
        """
        c = self._core.summary_columns()
        cols: dict[str, Any] = {
            "pod": _categorical(c["pod"]),
            "container": _categorical(c["container"]),
            "containerType": _categorical(c["containerType"]),
            "phase": _categorical(c["phase"]),
            "status": _categorical(c["status"]),
            "state": _categorical(c["state"]),
            "reason": _categorical(c["reason"]),
            "restarts": _nullable_int(c["restarts"]),
        }
        for k in ("timeToInitialized", "timeToStarted", "timeToReady", "readyTime", "timeWaiting", "timeRunning",
                  "timeTerminated"):
            cols[k] = _seconds(c[k])
        cols["fractionReady"] = c["fractionReady"]
        # "ready" is "N/M" on pod rows and "true"/"false" on container rows in the engine's columns: split
        # into podReady (pod rows, "N/M") and ready (container rows, boolean), one type per column.
        ready_codes, ready_cats = c["ready"]
        ready_codes = np.asarray(ready_codes)
        is_pod = np.asarray(c["container"][0]) < 0
        # podReady: the pod rows' codes, re-coded onto the sorted categories that pod rows use (codes only: no
        # per-value string matching, which was a quarter of summary()'s time).
        used = np.unique(ready_codes[is_pod & (ready_codes >= 0)])
        pod_cats = sorted(ready_cats[i] for i in used)
        remap = np.full(len(ready_cats) + 1, -1, dtype=np.int64)
        for i in used:
            remap[i] = pod_cats.index(ready_cats[i])
        pod_ready = pd.Categorical.from_codes(np.where(is_pod, remap[ready_codes], -1),
                                              dtype=_categorical_dtype(pod_cats))
        true_code = ready_cats.index("true") if "true" in ready_cats else -2
        flags = np.where(is_pod | (ready_codes < 0), -1, (ready_codes == true_code).astype(np.int8))
        order = list(cols)
        cols["podReady"], cols["ready"] = pod_ready, _nullable_bool(flags.astype(np.int8))
        cols = {k: cols[k] for k in order[:5] + ["podReady", "ready"] + order[5:]}
        phases = self._phase_times() if self.has_trace else {}
        pod_codes, pod_names = c["pod"]
        is_pod_row = _categorical(c["container"]).isna()
        n = len(pod_codes)
        for ph in PHASES:
            per_pod = np.array([phases[p].get(ph, 0.0) if p in phases else np.nan for p in pod_names] + [np.nan])
            col = per_pod[np.where(np.asarray(pod_codes) >= 0, pod_codes, len(pod_names))] if n else np.empty(0)
            col = np.where(is_pod_row, col, np.nan)
            cols[f"phase{ph}"] = col
        return pd.DataFrame(cols)

    def _phase_times(self) -> dict[str, dict[str, float]]:
        """Seconds each pod spent in each phase: from its PodStatus records to the next, its removal or the end.

        Computed in C++ from the trace records (``_core.Run.phase_times``), without the trace DataFrame.
        """
        return self._core.phase_times()

    def kubectl(self, at: float | str | None = None) -> pd.DataFrame:
        """What ``kubectl get pods`` shows at simulated time ``at`` (s or Go duration; default: the end).

        Columns ``pod`` (``namespace/name``, as in every other frame), then NAME, READY, STATUS, RESTARTS,
        AGE as kubectl prints them (categorical strings; RESTARTS with ``(5s ago)`` where kubectl adds it). Pods not created yet or already removed are absent.
        Raises ValueError when the run was made with ``trace=False`` or ``at`` is negative.
        """
        ns = self.duration_ns if at is None else to_ns(at)
        if ns < 0:
            raise ValueError(f"at must not be negative (got {at!r})")
        d = self._columns(lambda: self._core.kubectl(ns))
        df = pd.DataFrame({k: _strings_categorical(list(d[k])) for k in ("NAME", "READY", "STATUS", "RESTARTS", "AGE")})
        df.insert(0, "pod", _strings_categorical(_namespaced(list(d["NAME"]), self.scenario.pods)))
        return df

    def logs(self) -> pd.DataFrame:
        """Every line the containers' processes wrote (the trace's ``Log`` records), in order of time.

        Columns: ``pod`` (``namespace/name``), ``container``, ``restartCount`` (which run of it), ``stream``
        (``stdout``/``stderr``), ``t`` (s), ``text``. ``kubectl logs`` of one run is the rows of one pod,
        container and restartCount. Raises ValueError when the run was made with ``trace=False``.
        """
        d = self._columns(self._core.log_columns)
        return pd.DataFrame({
            "pod": pd.Series(d["pod"], dtype=object),
            "container": pd.Series(d["container"], dtype=object),
            "restartCount": pd.Series(d["restartCount"], dtype=np.int64),
            "stream": pd.Series(d["stream"], dtype=object),
            "t": pd.Series(d["t"], dtype=np.float64),
            "text": pd.Series(d["text"], dtype=object),
        })

    def jsonl(self) -> str:
        """The JSON-lines trace, exactly as ``podsim run --output jsonl`` prints it."""
        return self._columns(self._core.jsonl)

    def table(self) -> str:
        """The ``kubectl get pods -w`` table and Events, exactly as ``podsim run`` prints them."""
        return self._columns(self._core.table)

    def restart_times(self, pod: str, container: str) -> np.ndarray:
        """Simulated times (s) at which the container was restarted: where its restartCount goes up.

        From the trace's ContainerStatus records (a run that exits at once still counts). ``pod`` is
        ``namespace/name`` or a bare name (namespace ``default``). Raises ValueError without a trace.
        """
        tr = self.trace()
        key = pod if "/" in pod else f"default/{pod}"
        cs = tr[(tr["type"] == "ContainerStatus") & (tr["pod"] == key) & (tr["container"] == container)]
        counts = cs["restartCount"].fillna(0).to_numpy(dtype=np.int64)
        return cs["t"].to_numpy()[np.flatnonzero(np.diff(counts, prepend=0) > 0)]

    def _columns(self, fn):  # the engine's "trace off" logic_error as a ValueError with a hint
        try:
            return fn()
        except RuntimeError as e:
            if "trace off" in str(e):
                raise ValueError(f"{e}: run(trace=True) keeps the trace") from None
            raise
