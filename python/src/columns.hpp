// python/src/columns.hpp: a finished run turned into plain columns (vectors), ready to hand to numpy.
//
// Owns the tabular forms the Python API returns: the trace of interface.md §2 (one row per record),
// per-container state intervals, per-pod and per-container summary figures, and the kubectl view at a
// given simulated time. Knows nothing of Python (no pybind11 here; python/src/core.cpp converts).
// Times are ns (integers) here; core.cpp turns them into seconds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "models/engine/simulation.hpp"

namespace podsim::python {

using sim::Time;

/// A column of strings as category codes (-1: null) and the categories, in order of first use.
struct StringColumn {
  std::vector<std::int32_t> codes;
  std::vector<std::string> categories;
  std::unordered_map<std::string, std::int32_t> index;
  void push(std::string_view s);
  void null() { codes.push_back(-1); }
};

/// A column of nullable integers (`missing` 1 where null).
struct IntColumn {
  std::vector<std::int64_t> values;
  std::vector<std::uint8_t> missing;
  void push(std::int64_t v) { values.push_back(v); missing.push_back(0); }
  void null() { values.push_back(0); missing.push_back(1); }
};

/// The trace (interface.md §2) in columns; fields a record type lacks are null. `ready` is split by
/// record type (ContainerStatus: readyFlag, PodStatus: podReady "N/M"); core.cpp merges them as JSON does.
struct TraceColumns {
  std::vector<Time> t;
  StringColumn type, pod, container, containerType, image, state, reason, message, phase, status, podReady, node,
      eventType, fieldPath, action;
  /// ContainerStatus `stopSignal` (the gate ContainerStopSignals on; a container the runtime has), else null.
  StringColumn stopSignal;
  IntColumn exitCode, restartCount, restarts;
  std::vector<Time> startedAt, finishedAt;  // -1: null
  std::vector<std::int8_t> started, readyFlag;  // -1: null
  /// PodStatus conditions: for each row, (type, "True"/"False") pairs; empty for other records.
  std::vector<std::vector<std::pair<std::string, std::string>>> conditions;
  /// Action arguments as written (without `pod`), empty for other records.
  std::vector<std::vector<std::pair<std::string, std::string>>> arguments;
  /// ContainerStatus `lastState` (the previous termination) as the JSON trace has it; `present` false elsewhere.
  struct LastState {
    bool present = false;
    std::string state, reason;  // reason empty: null
    std::int32_t exitCode = 0;
    bool hasExitCode = false;
    Time startedAt = -1, finishedAt = -1;  // ns, -1: null
    std::string message;                   // the terminated state's message; empty: none
  };
  std::vector<LastState> lastState;
  /// The rule that produced each record and its Kubernetes source (interface.md §2 `rule`).
  StringColumn rule;
  StringColumn stream, text, hook;  // Log: stream, text; Hook: hook (state in `state`)
};

/// One row per container state interval: a change of state, reason or restartCount opens the next one
/// (a change of `ready` alone does not). Zero-length intervals are left out. `end`: the next change, the
/// pod's removal, or the end of the run.
struct IntervalColumns {
  StringColumn pod, container, containerType, state, reason;
  std::vector<Time> start, end;
  IntColumn restartCount, exitCode;
};

/// One row per pod (container null) followed by one per container of each pod.
/// Times ns, -1 when never reached.
struct SummaryColumns {
  StringColumn pod, container, containerType, phase, status, ready, state, reason;
  IntColumn restarts;
  std::vector<Time> timeToInitialized, timeToStarted, timeToReady, readyTime, timeWaiting, timeRunning, timeTerminated;
  std::vector<double> fractionReady;
};

/// `kubectl get pods` at simulated time `at`: pods created by then and not yet removed.
struct KubectlRows {
  std::vector<std::string> name, ready, status, restarts, age;
};

/// Builds the columns from a finished run. Trace forms require a run with the trace on (std::logic_error).
TraceColumns traceColumns(const engine::Simulation& sim);
IntervalColumns intervalColumns(const engine::Simulation& sim);
SummaryColumns summaryColumns(const engine::Simulation& sim);
KubectlRows kubectlAt(const engine::Simulation& sim, Time at);

}  // namespace podsim::python
