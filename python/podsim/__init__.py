"""podsim: a discrete-event simulator of Kubernetes pod lifecycles, from Python.

The same C++ engine as the ``podsim`` command (nothing of it is rewritten in Python)::

    import podsim
    sc = podsim.load("scenarios/rules/crashloop-always.yaml", {"spec.duration": "5m"})
    run = sc.run(seed=3)
    run.trace()        # the trace (interface.md §2) as a pandas DataFrame
    run.intervals()    # per-container (state, reason, start, end)
    run.summary()      # time to Initialized / Ready, restarts, time per state, fraction Ready, phase
    run.kubectl("2m")  # kubectl get pods at 2 minutes of simulated time
    podsim.sweep(sc, {"spec.behaviors.crashloop.app.run": ["5s", "30s"]}, seeds=100)   # seeds 1..100
    podsim.sweep(sc, podsim.design.latin_hypercube({"run": ("1s", "1m")}, n=200, seed=1),
                 params={"run": "spec.behaviors.crashloop.app.run"}, seeds=10)
    podsim.examples.path("rules/crashloop-always.yaml")   # the example scenarios shipped with the package

Every frame has one type per column, strings categorical, the pod as ``namespace/name`` in a ``pod``
column, and round-trips through Parquet (``df.to_parquet``).

Times in DataFrames are float seconds (plus exact integer ``*_ns`` columns where noted); inputs accept
seconds or Go duration strings. Bad input raises ``podsim.ScenarioError`` (a ValueError) carrying
``file``, ``line``, ``column`` and ``field_path``.
"""

from __future__ import annotations

from ._errors import ScenarioError
from ._api import (CONDITION_TYPES, NS_PER_SECOND, YAML, Run, Scenario, check_seed, format_duration, load,
                   normalize_overrides, to_ns)
from ._sweep import LAYOUTS, POD_METRICS, check_workers, sweep
from . import design, examples

__version__ = "0.1.0"

__all__ = ["ScenarioError", "Scenario", "YAML", "Run", "load", "sweep", "to_ns", "format_duration",
           "normalize_overrides", "check_seed", "check_workers", "NS_PER_SECOND", "POD_METRICS", "LAYOUTS",
           "CONDITION_TYPES", "design", "examples", "hardware_threads", "__version__"]


def hardware_threads() -> int:
    """The number of hardware threads (the default number of sweep threads)."""
    from . import _core
    return int(_core.hardware_threads())


def __getattr__(name: str):
    """``podsim.plot`` (matplotlib timelines) is imported on first use, so that ``import podsim`` needs no matplotlib."""
    if name == "plot":
        import importlib
        return importlib.import_module(".plot", __name__)
    raise AttributeError(f"module 'podsim' has no attribute {name!r}")
