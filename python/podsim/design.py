"""podsim.design: experimental designs as DataFrames, one row a variant, to pass as ``podsim.sweep``'s variants.

Owns the making of parameter tables: a full grid, random samples and Latin-hypercube samples, each seeded
(numpy's PCG64: the same arguments give the same table on every machine). Does not own running them
(``podsim.sweep``) nor what a parameter means (the column names are override paths, or short names that
``sweep(..., params={name: path})`` maps to paths).

A space maps each column to its values:
- a ``list`` (or any sequence that is not a tuple): the values to choose from (grid: every one);
- a ``tuple`` ``(low, high)``: a range, sampled uniformly (``random``, ``latin_hypercube``); integers give
  integers in [low, high] inclusive, floats floats in [low, high), Go duration strings (``("1s", "2m")``)
  float **seconds** in that range (the engine reads a number in a duration field as seconds).
Columns come out typed: numbers as int64 / float64, durations as float seconds, strings categorical.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._api import NS_PER_SECOND, to_ns

__all__ = ["grid", "random", "latin_hypercube"]


def _column(values: Sequence[Any]) -> Any:
    """Values as a typed column: numbers numeric, bools boolean, other values categorical strings."""
    vals = list(values)
    if vals and all(isinstance(v, (bool, np.bool_)) for v in vals):
        return np.array(vals, dtype=bool)
    if vals and all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) for v in vals):
        return np.array(vals, dtype=np.int64)
    if vals and all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))
                    for v in vals):
        return np.array(vals, dtype=np.float64)
    return pd.Categorical([v if isinstance(v, str) else str(v) for v in vals])


def grid(space: Mapping[str, Sequence[Any]]) -> pd.DataFrame:
    """Every combination of the values, first column slowest (as ``podsim sweep --set``).

    ``grid({"period": [1, 5, 10], "timing": ["ideal", "kubelet"]})`` has 6 rows. A value that is not a list
    is a single value. Raises ValueError for an empty space.
    """
    if not space:
        raise ValueError("grid: give at least one column and its values")
    names = list(space)
    lists = [list(v) if isinstance(v, (list, tuple, range, np.ndarray, pd.Series)) else [v] for v in space.values()]
    rows = list(itertools.product(*lists))
    return pd.DataFrame({n: _column([r[i] for r in rows]) for i, n in enumerate(names)})


def _range(name: str, spec: tuple) -> tuple[float, float, str]:
    """(low, high, kind) of a range: kind ``int``, ``float`` or ``duration`` (low/high then in seconds)."""
    if len(spec) != 2:
        raise ValueError(f"{name}: a range is a tuple (low, high), got {spec!r}")
    lo, hi = spec
    if isinstance(lo, str) or isinstance(hi, str):
        lo_s, hi_s = to_ns(lo) / NS_PER_SECOND, to_ns(hi) / NS_PER_SECOND
        kind = "duration"
    else:
        lo_s, hi_s = float(lo), float(hi)
        kind = "int" if all(isinstance(x, (int, np.integer)) and not isinstance(x, bool) for x in spec) else "float"
    if hi_s < lo_s:
        raise ValueError(f"{name}: the range {spec!r} has high < low")
    return lo_s, hi_s, kind


def _sample(space: Mapping[str, Any], u: np.ndarray) -> pd.DataFrame:
    """Maps uniform [0, 1) numbers (rows x columns) onto the space's columns."""
    cols: dict[str, Any] = {}
    for j, (name, spec) in enumerate(space.items()):
        x = u[:, j]
        if isinstance(spec, tuple):
            lo, hi, kind = _range(name, spec)
            if kind == "int":
                cols[name] = (np.floor(lo + x * (hi - lo + 1))).astype(np.int64).clip(int(lo), int(hi))
            else:
                cols[name] = lo + x * (hi - lo)
        else:
            choices = list(spec)
            if not choices:
                raise ValueError(f"{name}: no values to choose from")
            idx = np.minimum((x * len(choices)).astype(np.int64), len(choices) - 1)
            cols[name] = _column([choices[i] for i in idx])
    return pd.DataFrame(cols)


def random(space: Mapping[str, Any], n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` independent uniform samples of the space (see the module's doc), seeded by ``seed``.

    Raises ValueError for n < 1, a bad range or an empty list of values.
    """
    if n < 1:
        raise ValueError(f"n={n}: give at least one sample")
    rng = np.random.Generator(np.random.PCG64(seed))
    return _sample(space, rng.random((int(n), len(space))))


def latin_hypercube(space: Mapping[str, Any], n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` Latin-hypercube samples of the space, seeded by ``seed``: each column's range is cut into n
    equal strata and each stratum is sampled exactly once (a list of k values: each value about n/k times).

    Raises ValueError for n < 1, a bad range or an empty list of values.
    """
    if n < 1:
        raise ValueError(f"n={n}: give at least one sample")
    rng = np.random.Generator(np.random.PCG64(seed))
    d = len(space)
    u = np.empty((int(n), d))
    for j in range(d):
        u[:, j] = (rng.permutation(int(n)) + rng.random(int(n))) / n
    return _sample(space, u)
