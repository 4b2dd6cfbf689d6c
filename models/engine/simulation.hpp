// models/engine/simulation.hpp: one run of a scenario: the cluster, the kubelet of each node, the
// simulated container runtime and the scenario's actions, driven by one sim::Environment.
//
// Owns the acting half of "decide, then act": pod workers and their syncs (kubelet.go SyncPod,
// kuberuntime_manager.go SyncPod step order), the PLEG relist, the image puller, container processes,
// kills, back-off bookkeeping, status writes and the trace. The decisions themselves are the pure
// functions of models/kubelet. Does not own YAML (models/scenario) nor output text (models/trace).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/kubelet/api_status.hpp"
#include "models/kubelet/status.hpp"
#include "models/scenario/scenario.hpp"
#include "models/trace/trace.hpp"
#include "sim/time.hpp"

namespace podsim::engine {

using sim::Time;

/// How to run: trace on or off, and overrides of the scenario's seed and duration.
struct RunOptions {
  bool recordTrace = true;
  bool overrideSeed = false;
  std::uint64_t seed = 0;
  /// `--timing ideal|kubelet`: with overrideTiming, run with `timing` instead of the scenario's spec.timing.
  bool overrideTiming = false;
  scenario::Timing timing = scenario::Timing::Kubelet;
  Time duration = -1;                       // ns; -1: the scenario's spec.duration
  std::uint64_t eventLimit = 200'000'000;   // stop with SimulationLimitError past this many events
  /// Skip probe ticks known to change nothing (the trace is the same; tests compare both ways).
  bool skipIdleProbeTicks = true;
  /// Skip regenerating a pod's status when none of its inputs changed (same trace; tests compare).
  bool skipUnchangedStatus = true;
  /// Receives every trace record (the run then makes them as with the trace on, stored or not); must
  /// outlive the run. See trace::Metrics.
  trace::TraceSink* traceSink = nullptr;
};

/// Per-pod figures kept even when the trace is off. Times in ns; -1 when never reached.
struct PodSummary {
  std::string name;
  api::PodPhase phase = api::PodPhase::Pending;
  std::string status;       // kubectl STATUS at the end
  std::int32_t ready = 0;   // READY numerator at the end
  std::int32_t total = 0;
  std::int32_t restarts = 0;
  Time initializedAt = -1;  // first time Initialized=True
  Time readyAt = -1;        // first time Ready=True
  Time readyTime = 0;       // total time with Ready=True
};

/// The final kubectl view of one pod, and its API status, at the end of a run.
struct PodView {
  const api::Pod* pod = nullptr;
  kubelet::ApiPodStatus status;
  kubelet::PrintedPod printed;
  std::int32_t node = -1;
  bool deleting = false;
  bool removed = false;
  Time createdAt = 0;
};

class SimulationImpl;

/// One run of a scenario. Construct, call run() once, then read trace(), summaries() and views();
/// reset() makes it ready for another run of the same scenario (another seed, say), as a new
/// Simulation would be but without allocating again (what a sweep or a benchmark wants).
///
/// Errors: sim::SimulationLimitError when the run exceeds RunOptions::eventLimit; std::logic_error on
/// a broken invariant (a bug). What happens to pods (exit codes, back-off, pull errors) is data in the
/// trace, never an exception. The scenario must outlive the Simulation.
class Simulation {
 public:
  Simulation(const scenario::Scenario& scenario, const RunOptions& options);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  /// Runs until the duration (ns) and returns. Call once after construction or reset().
  void run();

  /// Prepares another run of the same scenario with `options`: the state is that of a Simulation just
  /// constructed with them (same trace, same summaries as a fresh one), but the per-pod, per-node and
  /// event-queue buffers keep their capacity, and what depends on the scenario alone (image reference
  /// checks, Service endpoints, container order, requests) is not worked out again. The scenario must
  /// be unchanged since construction. Invalidates what trace(), summaries() and views() returned before.
  /// Errors: none beyond those of construction.
  void reset(const RunOptions& options);

  [[nodiscard]] const trace::Trace& trace() const;
  [[nodiscard]] std::vector<PodSummary> summaries() const;
  [[nodiscard]] std::vector<PodView> views() const;
  [[nodiscard]] const std::vector<std::string>& nodeNames() const;
  /// "name_namespace(uid)", as the kubelet formats a pod in messages (format.Pod).
  [[nodiscard]] std::string podRef(std::int32_t pod) const;
  [[nodiscard]] Time now() const;
  [[nodiscard]] Time duration() const;
  [[nodiscard]] std::uint64_t processedEvents() const;
  [[nodiscard]] const scenario::Scenario& scenario() const;

 private:
  std::unique_ptr<SimulationImpl> impl_;
};

}  // namespace podsim::engine
