"""podsim.plot: a run drawn as a timeline with matplotlib (imported only when drawing).

Owns the picture of one run for notebooks: per pod, a lane for the phase and one per pod condition
above, then one lane per container coloured by its state and reason (from ``Run.intervals()``), with
readiness as a strip inside running bars, restarts and Events marked. Does not own any figure of the
engine: everything drawn comes from the run's trace.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

#: Fill colour of a container interval by (state, reason); (state, None) is the fallback of a state.
STATE_COLORS: dict[tuple[str, str | None], str] = {
    ("waiting", None): "#d9d9d9",
    ("waiting", "ContainerCreating"): "#9ecae1",
    ("waiting", "PodInitializing"): "#c6dbef",
    ("waiting", "CrashLoopBackOff"): "#fd8d3c",
    ("waiting", "ImagePullBackOff"): "#bcbddc",
    ("waiting", "ErrImagePull"): "#756bb1",
    ("waiting", "InvalidImageName"): "#9e9ac8",
    ("waiting", "CreateContainerError"): "#e7969c",
    ("waiting", "CreateContainerConfigError"): "#e7969c",
    ("waiting", "RunContainerError"): "#e7969c",
    ("terminated", "ContainerCannotRun"): "#a50f15",
    ("terminated", "StartError"): "#a50f15",
    ("running", None): "#74c476",
    ("terminated", None): "#969696",
    ("terminated", "Completed"): "#6baed6",
    ("terminated", "Error"): "#de2d26",
    ("terminated", "OOMKilled"): "#67000d",
}

PHASE_COLORS = {"Pending": "#fdd0a2", "Running": "#a1d99b", "Succeeded": "#9ecae1", "Failed": "#fc9272",
                "Unknown": "#d9d9d9"}

CONDITIONS = ("PodScheduled", "PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready")


def state_color(state: str, reason: Any) -> str:
    """The colour of a container interval (``STATE_COLORS``, falling back on the state alone)."""
    reason = None if reason is None or (isinstance(reason, float) and np.isnan(reason)) else str(reason)
    return STATE_COLORS.get((state, reason), STATE_COLORS.get((state, None), "#d9d9d9"))


def _spans(times: np.ndarray, values: list[Any], end: float) -> list[tuple[float, float, Any]]:
    """Piecewise-constant spans (start, end, value) from change times and values."""
    out = []
    for i, (t, v) in enumerate(zip(times, values)):
        t1 = times[i + 1] if i + 1 < len(times) else end
        if t1 > t:
            out.append((float(t), float(t1), v))
    return out


def timeline(run: Any, pods: list[str] | None = None, ax: Any = None, title: str | None = None,
             until: float | None = None, events: bool = True) -> Any:
    """Draws a run (``podsim.Run`` with its trace) as a timeline; returns the matplotlib Figure.

    Lanes, top to bottom for each pod: ``phase`` (coloured by PodPhase, with the STATUS column written in),
    one lane per pod condition (dark when True), then one lane per container in spec order (init,
    sidecar, regular), coloured by state and reason (``STATE_COLORS``); a dark strip at the top of a
    bar while the container is ready; a black tick and the new restartCount at each restart; Events as
    small markers under their container's bar (red for Warning). The x axis is simulated time in
    seconds (minutes past 10 min). ``pods``: ``namespace/name`` or names to draw (default all);
    ``until``: the right end in seconds (default the run's duration).
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    tr = run.trace()
    iv = run.intervals()
    end = float(until if until is not None else run.duration)
    scale, unit = (60.0, "min") if end > 600 else (1.0, "s")
    all_pods = [p for p in tr["pod"].dropna().unique().tolist()]
    if pods is not None:
        want = {p if "/" in p else f"default/{p}" for p in pods}
        all_pods = [p for p in all_pods if p in want]

    lanes: list[tuple[str, str, str, Any]] = []  # (kind, pod, label, key)
    for p in all_pods:
        lanes.append(("phase", p, "phase", None))
        for c in CONDITIONS:
            lanes.append(("condition", p, c, c))
        cs = tr[(tr["pod"] == p) & (tr["type"] == "ContainerStatus")]
        order = cs.drop_duplicates("container")[["container", "containerType"]]
        rank = {"init": 0, "sidecar": 0, "regular": 1}
        order = order.assign(r=order["containerType"].map(rank).astype(int)).sort_values("r", kind="stable")
        for c, ct in zip(order["container"], order["containerType"]):
            lanes.append(("container", p, f"{c} ({ct})", c))

    height = 0.35 * len(lanes) + 1.2
    if ax is None:
        fig, ax = plt.subplots(figsize=(12, max(2.5, height)))
    else:
        fig = ax.figure
    multi = len(all_pods) > 1
    y_labels = []
    n = len(lanes)
    for i, (kind, p, label, key) in enumerate(lanes):
        y = n - 1 - i
        y_labels.append(f"{p.split('/', 1)[1]}: {label}" if multi else label)
        ptr = tr[(tr["pod"] == p) & (tr["type"] == "PodStatus")]
        if kind == "phase":
            for t0, t1, (phase, status) in _spans(ptr["t"].to_numpy(), list(zip(ptr["phase"], ptr["status"])), end):
                ax.broken_barh([(t0 / scale, (t1 - t0) / scale)], (y - 0.4, 0.8),
                               facecolors=PHASE_COLORS.get(str(phase), "#d9d9d9"), edgecolor="white", linewidth=0.5)
                if (t1 - t0) / end > 0.04:
                    ax.text((t0 + t1) / 2 / scale, y, str(status), ha="center", va="center", fontsize=7, clip_on=True)
        elif kind == "condition":
            col = f"condition.{key}"
            vals = [v == "True" for v in ptr[col]] if col in ptr else [False] * len(ptr)
            for t0, t1, v in _spans(ptr["t"].to_numpy(), vals, end):
                ax.broken_barh([(t0 / scale, (t1 - t0) / scale)], (y - 0.25, 0.5),
                               facecolors="#3182bd" if v else "#f0f0f0", edgecolor="none")
        else:
            civ = iv[(iv["pod"] == p) & (iv["container"] == key)]
            for s, e, st, rs in zip(civ["start"], civ["end"], civ["state"], civ["reason"]):
                e = min(e, end)
                if e > s:
                    ax.broken_barh([(s / scale, (e - s) / scale)], (y - 0.4, 0.8),
                                   facecolors=state_color(str(st), None if pd.isna(rs) else rs),
                                   edgecolor="white", linewidth=0.3)
            ctr = tr[(tr["pod"] == p) & (tr["type"] == "ContainerStatus") & (tr["container"] == key)]
            ready = ctr["ready"].fillna(False).astype(bool).tolist()
            for t0, t1, v in _spans(ctr["t"].to_numpy(), ready, end):
                if v:
                    ax.broken_barh([(t0 / scale, (t1 - t0) / scale)], (y + 0.25, 0.15), facecolors="#005a32")
            # restarts: where restartCount goes up (a run may last no time, so not from the intervals)
            rcs = ctr["restartCount"].fillna(0).to_numpy(dtype=np.int64)
            up = np.flatnonzero(np.diff(rcs, prepend=0) > 0)
            for s, rc in zip(ctr["t"].to_numpy()[up], rcs[up]):
                if s <= end:
                    ax.plot([s / scale, s / scale], [y - 0.45, y + 0.45], color="black", linewidth=1.2)
                    ax.text(s / scale, y + 0.47, f"{rc}", fontsize=6, ha="center", va="bottom")
            if events:
                ev = tr[(tr["pod"] == p) & (tr["type"] == "Event") & (tr["container"] == key) & (tr["t"] <= end)]
                warn = (ev["eventType"] == "Warning").to_numpy()
                ax.scatter(ev["t"].to_numpy()[~warn] / scale, np.full((~warn).sum(), y - 0.45), marker="|", s=18,
                           color="#08519c", linewidths=0.8, zorder=3)
                ax.scatter(ev["t"].to_numpy()[warn] / scale, np.full(warn.sum(), y - 0.45), marker="v", s=14,
                           color="#a50f15", zorder=3)
    ax.set_yticks(range(n))
    ax.set_yticklabels(list(reversed(y_labels)), fontsize=8)
    ax.set_ylim(-0.8, n - 0.2)
    ax.set_xlim(0, end / scale)
    ax.set_xlabel(f"simulated time ({unit})")
    ax.grid(axis="x", color="#eeeeee", linewidth=0.5)
    ax.set_axisbelow(True)
    if title is None:
        title = f"{run.scenario.name} (seed {run.seed}, timing {run.scenario.timing})"
    ax.set_title(title, fontsize=10)
    used = sorted({(str(s), None if pd.isna(r) else str(r)) for s, r in zip(iv["state"], iv["reason"])},
                  key=lambda k: (k[0], k[1] or ""))
    handles: list[Any] = [Patch(facecolor=state_color(s, r), label=f"{s}" + (f": {r}" if r else "")) for s, r in used]
    handles += [Patch(facecolor="#005a32", label="ready"), Patch(facecolor="#3182bd", label="condition True")]
    from matplotlib.lines import Line2D
    handles += [Line2D([], [], color="black", label="restart (restartCount)"),
                Line2D([], [], marker="|", linestyle="", color="#08519c", label="Event"),
                Line2D([], [], marker="v", linestyle="", color="#a50f15", label="Warning Event")]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=7, frameon=False)
    fig.tight_layout()
    return fig
